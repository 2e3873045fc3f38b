/**
 * IP address text to numbers for range search. Hand-written rather than
 * ipaddr.js because loading parses a million addresses and the lookup
 * budget is a few microseconds; both run here. Strict: only the forms
 * inet_ntop and the databases write (dotted quad; IPv6 hex groups with at
 * most one `::` and an optional dotted-quad tail), no zone ids.
 */

/** An IPv4 dotted quad as an unsigned 32-bit number, or -1. */
export function parseIPv4(text: string, from = 0, to = text.length): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      // A leading zero ("01") is ambiguous (octal in some parsers): refuse it.
      if (digits > 0 && part === 0) return -1;
      part = part * 10 + (c - 48);
      if (part > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + part;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Scratch for the eight 16-bit groups; parsing is synchronous, so one buffer serves every call.
const groups = new Uint16Array(8);

/**
 * Parses an IPv6 address into four big-endian 32-bit words written to
 * `out[offset..offset+3]`. Returns false (and leaves `out` unspecified) when
 * the text is not an IPv6 address.
 */
export function parseIPv6(text: string, out: Uint32Array, offset = 0, from = 0, to = text.length): boolean {
  let count = 0;
  let gap = -1; // index in `groups` where "::" stood
  let i = from;
  if (to - from < 2) return false;
  if (text.charCodeAt(i) === 58 /* : */) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
    if (i === to) return fillV6(out, offset, count, gap);
  }
  while (i < to) {
    let value = 0;
    let digits = 0;
    const start = i;
    while (i < to) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
      i++;
    }
    if (i < to && text.charCodeAt(i) === 46 /* . */) {
      // Dotted-quad tail: the last 32 bits.
      const v4 = parseIPv4(text, start, to);
      if (v4 < 0 || count > 6) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      return fillV6(out, offset, count, gap);
    }
    if (digits === 0 || digits > 4 || count === 8) return false;
    groups[count++] = value;
    if (i === to) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < to && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
      if (i === to) break;
    } else if (i === to) {
      return false; // trailing single colon
    }
  }
  return fillV6(out, offset, count, gap);
}

function fillV6(out: Uint32Array, offset: number, count: number, gap: number): boolean {
  if (gap < 0 ? count !== 8 : count > 7) return false;
  const zeros = 8 - count;
  for (let w = 0; w < 4; w++) {
    out[offset + w] = ((groupAt(2 * w, gap, zeros) << 16) | groupAt(2 * w + 1, gap, zeros)) >>> 0;
  }
  return true;
}

/** Group `index` of the full address, given the "::" gap of `zeros` groups at `gap`. */
function groupAt(index: number, gap: number, zeros: number): number {
  if (gap < 0 || index < gap) return groups[index] ?? 0;
  if (index < gap + zeros) return 0;
  return groups[index - zeros] ?? 0;
}

/** Whether words out[offset..offset+3] are an IPv4-mapped address (::ffff:a.b.c.d). */
export function isV4Mapped(words: Uint32Array, offset = 0): boolean {
  return words[offset] === 0 && words[offset + 1] === 0 && words[offset + 2] === 0xffff;
}
