/**
 * A compact, sorted index of AS ranges: typed arrays searched by bisection,
 * built once per file. IPv4 keys are one 32-bit word, IPv6 keys four
 * (big-endian), so a range costs 16 bytes (v4) or 40 bytes (v6) plus its
 * share of the de-duplicated organisation names, and a lookup allocates nothing.
 */

/** One family's ranges. `words` is 1 for IPv4, 4 for IPv6. */
export interface RangeColumns {
  readonly words: 1 | 4;
  readonly count: number;
  /** count × words, ascending by start. */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly asns: Uint32Array;
  /** Index into the table's organisation names. */
  readonly orgs: Uint32Array;
}

export interface AsnRange {
  asn: number;
  organisation: string;
}

/** Lexicographic comparison of two keys of `words` 32-bit words. */
function compareKeys(a: Uint32Array, ai: number, b: Uint32Array, bi: number, words: number): number {
  for (let k = 0; k < words; k++) {
    const x = a[ai + k] ?? 0;
    const y = b[bi + k] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Index of the range containing key[offset..], or -1. */
export function findRange(columns: RangeColumns, key: Uint32Array, offset = 0): number {
  const { words, starts } = columns;
  let lo = 0;
  let hi = columns.count - 1;
  let candidate = -1;
  // Last range whose start ≤ key.
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(starts, mid * words, key, offset, words) <= 0) {
      candidate = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (candidate < 0) return -1;
  return compareKeys(key, offset, columns.ends, candidate * words, words) <= 0 ? candidate : -1;
}

/** A range that breaks the table's invariants, by source line (1-based). */
export class RangeOrderError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Collects one family's rows as they are parsed, growing its arrays by
 * doubling, then sorts (only if the input was not already in order) and
 * checks that no two ranges overlap.
 */
export class RangeColumnsBuilder {
  private capacity = 1024;
  private starts: Uint32Array;
  private ends: Uint32Array;
  private asns: Uint32Array;
  private orgs: Uint32Array;
  private lines: Uint32Array;
  private count = 0;
  private sorted = true;

  constructor(private readonly words: 1 | 4) {
    this.starts = new Uint32Array(this.capacity * words);
    this.ends = new Uint32Array(this.capacity * words);
    this.asns = new Uint32Array(this.capacity);
    this.orgs = new Uint32Array(this.capacity);
    this.lines = new Uint32Array(this.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a range whose first and last keys are at start[so..] and end[eo..] (already checked first ≤ last). */
  add(start: Uint32Array, so: number, end: Uint32Array, eo: number, asn: number, org: number, line: number): void {
    if (this.count === this.capacity) this.grow();
    const w = this.words;
    const at = this.count * w;
    for (let k = 0; k < w; k++) {
      this.starts[at + k] = start[so + k] ?? 0;
      this.ends[at + k] = end[eo + k] ?? 0;
    }
    if (this.count > 0 && compareKeys(this.starts, at - w, this.starts, at, w) > 0) this.sorted = false;
    this.asns[this.count] = asn;
    this.orgs[this.count] = org;
    this.lines[this.count] = line;
    this.count++;
  }

  private grow(): void {
    this.capacity *= 2;
    const w = this.words;
    const resize = (a: Uint32Array, n: number): Uint32Array => {
      const b = new Uint32Array(n);
      b.set(a);
      return b;
    };
    this.starts = resize(this.starts, this.capacity * w);
    this.ends = resize(this.ends, this.capacity * w);
    this.asns = resize(this.asns, this.capacity);
    this.orgs = resize(this.orgs, this.capacity);
    this.lines = resize(this.lines, this.capacity);
  }

  /**
   * Sorted, overlap-checked, trimmed columns. Overlapping ranges contradict
   * each other: `'error'` throws a RangeOrderError naming the later line (a
   * user's file, which they can fix); `'drop'` leaves out every range in the
   * overlap (public data with a glitch: no answer beats a wrong one) and
   * counts them in `dropped`.
   */
  async build(onOverlap: 'error' | 'drop' = 'error'): Promise<{ columns: RangeColumns; dropped: number }> {
    const w = this.words;
    const n = this.count;
    let order: Uint32Array | undefined;
    if (!this.sorted) {
      order = identity(n);
      order.sort((a, b) => compareKeys(this.starts, a * w, this.starts, b * w, w));
    }
    // Rows in start order, and which of them conflict.
    const rows = order ?? identity(n);
    const conflicted = new Uint8Array(n);
    let dropped = 0;
    let reach = -1; // row (in `rows` order) whose end reaches furthest so far
    for (let i = 0; i < n; i++) {
      if (i % YIELD_EVERY_ROWS === YIELD_EVERY_ROWS - 1) await nextTurn();
      const row = rows[i] ?? 0;
      if (reach >= 0 && compareKeys(this.starts, row * w, this.ends, reach * w, w) <= 0) {
        if (onOverlap === 'error') {
          const [a, b] = [this.lines[reach] ?? 0, this.lines[row] ?? 0].sort((x, y) => x - y);
          throw new RangeOrderError(b ?? 0, `range overlaps the range on line ${a}`);
        }
        for (const r of [reach, row]) {
          if (!conflicted[r]) dropped++;
          conflicted[r] = 1;
        }
      }
      if (reach < 0 || compareKeys(this.ends, row * w, this.ends, reach * w, w) > 0) reach = row;
    }
    if (dropped === 0 && !order) {
      // The usual case (files written in order): trim, no per-row copying.
      const trimmed = {
        words: w,
        count: n,
        starts: this.starts.slice(0, n * w),
        ends: this.ends.slice(0, n * w),
        asns: this.asns.slice(0, n),
        orgs: this.orgs.slice(0, n),
      };
      return { columns: trimmed, dropped };
    }
    const kept = n - dropped;
    const columns = {
      words: w,
      count: kept,
      starts: new Uint32Array(kept * w),
      ends: new Uint32Array(kept * w),
      asns: new Uint32Array(kept),
      orgs: new Uint32Array(kept),
    };
    let out = 0;
    for (let i = 0; i < n; i++) {
      if (i % YIELD_EVERY_ROWS === YIELD_EVERY_ROWS - 1) await nextTurn();
      const row = rows[i] ?? 0;
      if (conflicted[row]) continue;
      for (let k = 0; k < w; k++) {
        columns.starts[out * w + k] = this.starts[row * w + k] ?? 0;
        columns.ends[out * w + k] = this.ends[row * w + k] ?? 0;
      }
      columns.asns[out] = this.asns[row] ?? 0;
      columns.orgs[out] = this.orgs[row] ?? 0;
      out++;
    }
    return { columns, dropped };
  }
}

/** Rows checked or copied between event-loop turns (a few milliseconds' work). */
const YIELD_EVERY_ROWS = 50_000;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function identity(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** Both families plus the organisation names their rows point at. */
export class AsnRangeTable {
  constructor(
    readonly v4: RangeColumns,
    readonly v6: RangeColumns,
    private readonly organisations: readonly string[],
  ) {}

  get rangeCount(): number {
    return this.v4.count + this.v6.count;
  }

  /** The range containing an IPv4 address given as a 32-bit number. */
  lookupV4(address: number): AsnRange | undefined {
    v4Key[0] = address;
    return this.at(this.v4, findRange(this.v4, v4Key));
  }

  /** The range containing an IPv6 address given as four words at key[offset..]. */
  lookupV6(key: Uint32Array, offset = 0): AsnRange | undefined {
    return this.at(this.v6, findRange(this.v6, key, offset));
  }

  private at(columns: RangeColumns, index: number): AsnRange | undefined {
    if (index < 0) return undefined;
    return { asn: columns.asns[index] ?? 0, organisation: this.organisations[columns.orgs[index] ?? 0] ?? '' };
  }
}

const v4Key = new Uint32Array(1);
