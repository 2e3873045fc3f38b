/**
 * Bounded, streaming building blocks for per-hop statistics. Nothing here
 * keeps more than a fixed amount of memory, however long a session runs.
 */

/** Fixed-capacity FIFO: pushing onto a full buffer drops the oldest item. */
export class RingBuffer<T> {
  readonly capacity: number;
  private readonly items: (T | undefined)[];
  /** Index of the oldest item. */
  private head = 0;
  private length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a whole number of at least 1, got ${capacity}`);
    }
    this.capacity = capacity;
    this.items = [];
  }

  get size(): number {
    return this.length;
  }

  /** Appends `item`; returns the item it evicted, if any. */
  push(item: T): T | undefined {
    if (this.length < this.capacity) {
      // Grow lazily so a large capacity costs nothing until used.
      this.items[(this.head + this.length) % this.capacity] = item;
      this.length++;
      return undefined;
    }
    const evicted = this.items[this.head];
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    return evicted;
  }

  /** Items oldest first. */
  toArray(): T[] {
    const out: T[] = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) {
      out[i] = this.items[(this.head + i) % this.capacity] as T;
    }
    return out;
  }

  clear(): void {
    this.items.length = 0;
    this.head = 0;
    this.length = 0;
  }
}

/**
 * Streaming round-trip-time statistics (milliseconds).
 *
 * StDev is the SAMPLE standard deviation (divides by n - 1), 0 for a single
 * sample: mtr's ui/net.c keeps Welford's sum of squared differences and
 * reports sqrt(ssd / (returned - 1)), 0 when returned <= 1. Matching it keeps
 * our numbers comparable with mtr's StDev column.
 *
 * Jitter follows mtr's Jttr/Jmax: the absolute difference between
 * consecutive RTTs. `jitter` is the mean of those differences over the n - 1
 * pairs (the contract's definition; mtr's Javg instead divides by n, counting
 * a 0 for the first reply).
 */
export class RttStats {
  private n = 0;
  private meanMs = 0;
  /** Welford's running sum of squared deviations. */
  private m2 = 0;
  private lastMs = 0;
  private bestMs = 0;
  private worstMs = 0;
  private jitterMeanMs = 0;
  private jitterMaxMs = 0;
  private jitterLastMs = 0;

  /** Adds one RTT; negative or non-finite values are ignored (returns false). */
  add(rttMs: number): boolean {
    if (!Number.isFinite(rttMs) || rttMs < 0) return false;
    this.n++;
    if (this.n === 1) {
      this.meanMs = rttMs;
      this.m2 = 0;
      this.bestMs = rttMs;
      this.worstMs = rttMs;
      this.jitterMeanMs = 0;
      this.jitterMaxMs = 0;
      this.jitterLastMs = 0;
    } else {
      const jitter = Math.abs(rttMs - this.lastMs);
      this.jitterLastMs = jitter;
      if (jitter > this.jitterMaxMs) this.jitterMaxMs = jitter;
      this.jitterMeanMs += (jitter - this.jitterMeanMs) / (this.n - 1);

      const delta = rttMs - this.meanMs;
      this.meanMs += delta / this.n;
      this.m2 += delta * (rttMs - this.meanMs);
      if (rttMs < this.bestMs) this.bestMs = rttMs;
      if (rttMs > this.worstMs) this.worstMs = rttMs;
    }
    this.lastMs = rttMs;
    return true;
  }

  get count(): number {
    return this.n;
  }
  get last(): number | null {
    return this.n > 0 ? this.lastMs : null;
  }
  get best(): number | null {
    return this.n > 0 ? this.bestMs : null;
  }
  get worst(): number | null {
    return this.n > 0 ? this.worstMs : null;
  }
  get mean(): number | null {
    return this.n > 0 ? this.meanMs : null;
  }
  /** Sample standard deviation (n - 1), 0 for one sample, as mtr. */
  get stdev(): number | null {
    if (this.n === 0) return null;
    if (this.n === 1) return 0;
    // m2 can dip a hair below 0 through rounding.
    return Math.sqrt(Math.max(0, this.m2) / (this.n - 1));
  }
  /** Mean |RTT[i] - RTT[i-1]|; 0 for one sample. */
  get jitter(): number | null {
    return this.n > 0 ? this.jitterMeanMs : null;
  }
  /** Largest |RTT[i] - RTT[i-1]| (mtr's Jmax); 0 for one sample. */
  get jitterMax(): number | null {
    return this.n > 0 ? this.jitterMaxMs : null;
  }
  /** |last - previous| (mtr's Jttr); 0 for one sample. */
  get jitterCurrent(): number | null {
    return this.n > 0 ? this.jitterLastMs : null;
  }

  clear(): void {
    this.n = 0;
    this.meanMs = 0;
    this.m2 = 0;
    this.lastMs = 0;
    this.bestMs = 0;
    this.worstMs = 0;
    this.jitterMeanMs = 0;
    this.jitterMaxMs = 0;
    this.jitterLastMs = 0;
  }
}
