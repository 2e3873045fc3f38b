/**
 * Fitting labels into fixed-width node boxes. Labels are drawn in a
 * monospace font, so a character budget is an exact width budget and the
 * layout can guarantee labels never spill into a neighbour.
 */

/** Approximate advance of one monospace glyph, as a fraction of the font size (0.6em plus slack). */
const MONO_ADVANCE_EM = 0.62;

export function monoTextWidth(chars: number, fontSizePx: number): number {
  return chars * fontSizePx * MONO_ADVANCE_EM;
}

export function monoCharsThatFit(widthPx: number, fontSizePx: number): number {
  return Math.max(0, Math.floor(widthPx / (fontSizePx * MONO_ADVANCE_EM)));
}

/**
 * Shortens `text` to at most `maxChars` by replacing its middle with "…".
 * The middle goes because both ends carry meaning: the interface/router
 * name at the start of a PTR record and the network at its end, or the
 * prefix and interface id of an IPv6 address.
 */
export function truncateMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 0) return '';
  if (maxChars === 1) return '…';
  const keep = maxChars - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return text.slice(0, head) + '…' + (tail > 0 ? text.slice(text.length - tail) : '');
}
