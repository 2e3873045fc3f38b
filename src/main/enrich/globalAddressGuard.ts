/**
 * Whether shipped public data may answer for an address: only when
 * `addressClass` (the app's one rule) calls it 'global'. addressClass costs
 * about 40 µs on an address it has not seen, too slow for the lookup budget,
 * so this asks it only when it could say something else: an address outside
 * every range ipaddr.js knows as special is 'global' by addressClass's
 * default branch. Those ranges are read from ipaddr.js itself, so nothing
 * here restates which blocks are special.
 */
import ipaddr from 'ipaddr.js';
import { addressClass } from '@shared/addressClass';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
type SpecialRanges = Record<string, Cidr | Cidr[]>;

function cidrsOf(ranges: SpecialRanges): Cidr[] {
  return Object.values(ranges).flatMap((entry) => (Array.isArray(entry[0]) ? (entry as Cidr[]) : [entry as Cidr]));
}

/** Start and end of each special block as words (1 for IPv4, 4 for IPv6), big-endian. */
function bounds(cidrs: Cidr[], words: 1 | 4): { starts: Uint32Array; ends: Uint32Array } {
  const starts = new Uint32Array(cidrs.length * words);
  const ends = new Uint32Array(cidrs.length * words);
  cidrs.forEach(([address, prefix], i) => {
    const bytes = address.toByteArray();
    for (let w = 0; w < words; w++) {
      // Bits of this word that belong to the prefix.
      const kept = Math.max(0, Math.min(32, prefix - 32 * w));
      const mask = kept === 0 ? 0 : (0xffffffff << (32 - kept)) >>> 0;
      const value = bytes.slice(4 * w, 4 * w + 4).reduce((n, b) => n * 256 + b, 0);
      starts[i * words + w] = (value & mask) >>> 0;
      ends[i * words + w] = ((value & mask) | (~mask >>> 0)) >>> 0;
    }
  });
  return { starts, ends };
}

// ipaddr.js keeps its range tables on the prototypes; range() reads them there.
const V4 = bounds(cidrsOf((ipaddr.IPv4.prototype as unknown as { SpecialRanges: SpecialRanges }).SpecialRanges), 1);
const V6 = bounds(cidrsOf((ipaddr.IPv6.prototype as unknown as { SpecialRanges: SpecialRanges }).SpecialRanges), 4);

function inside(
  key: Uint32Array,
  offset: number,
  table: { starts: Uint32Array; ends: Uint32Array },
  words: number,
): boolean {
  const count = table.starts.length / words;
  for (let i = 0; i < count; i++) {
    let geStart = true;
    let leEnd = true;
    for (let w = 0; w < words; w++) {
      const k = key[offset + w] ?? 0;
      const s = table.starts[i * words + w] ?? 0;
      if (k !== s) {
        geStart = k > s;
        break;
      }
    }
    if (!geStart) continue;
    for (let w = 0; w < words; w++) {
      const k = key[offset + w] ?? 0;
      const e = table.ends[i * words + w] ?? 0;
      if (k !== e) {
        leEnd = k < e;
        break;
      }
    }
    if (leEnd) return true;
  }
  return false;
}

const v4Key = new Uint32Array(1);

/**
 * addressClass(address) === 'global', for an address already parsed: `v4`
 * its IPv4 value (also for IPv4-mapped IPv6), or -1 and `v6` its words.
 */
export function isGlobalAddress(address: string, v4: number, v6: Uint32Array): boolean {
  let special: boolean;
  if (v4 >= 0) {
    v4Key[0] = v4;
    special = inside(v4Key, 0, V4, 1);
  } else {
    // ipaddr.js reads any dotted tail (::a.b.c.d too) as IPv4-mapped; leave such rare texts to addressClass.
    special = address.includes('.') || inside(v6, 0, V6, 4);
  }
  return special ? addressClass(address) === 'global' : true;
}
