import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RingBuffer, RttStats } from '../../../src/main/trace/stats';

// Straightforward two-pass reference computations.
function reference(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  const diffs = xs.slice(1).map((x, i) => Math.abs(x - (xs[i] as number)));
  return {
    mean,
    stdev: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    best: Math.min(...xs),
    worst: Math.max(...xs),
    jitter: diffs.length ? diffs.reduce((a, b) => a + b, 0) / diffs.length : 0,
    jitterMax: diffs.length ? Math.max(...diffs) : 0,
    jitterCurrent: diffs.length ? (diffs[diffs.length - 1] as number) : 0,
  };
}

const rtt = fc.double({ min: 0, max: 10_000, noNaN: true, noDefaultInfinity: true });
const close = (a: number | null, b: number, scale: number) => {
  expect(a).not.toBeNull();
  expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale) + 1e-9);
};

describe('RttStats', () => {
  it('is all null with no data', () => {
    const s = new RttStats();
    expect(s.count).toBe(0);
    for (const v of [s.last, s.best, s.worst, s.mean, s.stdev, s.jitter, s.jitterMax, s.jitterCurrent]) {
      expect(v).toBeNull();
    }
  });

  it('matches mtr for one sample: stdev and jitter 0', () => {
    const s = new RttStats();
    s.add(12.5);
    expect([s.count, s.last, s.best, s.worst, s.mean, s.stdev, s.jitter, s.jitterMax, s.jitterCurrent]).toEqual([
      1, 12.5, 12.5, 12.5, 12.5, 0, 0, 0, 0,
    ]);
  });

  it('uses the sample (n - 1) standard deviation, like mtr', () => {
    const s = new RttStats();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) s.add(x);
    // Population stdev of this set is exactly 2; the sample stdev is sqrt(32/7).
    expect(s.stdev).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(s.mean).toBe(5);
  });

  it('tracks mtr-style jitter: current, mean and max of |RTT[i] - RTT[i-1]|', () => {
    const s = new RttStats();
    for (const x of [10, 13, 11, 20]) s.add(x);
    expect(s.jitterCurrent).toBe(9);
    expect(s.jitterMax).toBe(9);
    expect(s.jitter).toBeCloseTo((3 + 2 + 9) / 3, 12);
    expect(s.last).toBe(20);
  });

  it('ignores negative and non-finite values', () => {
    const s = new RttStats();
    expect(s.add(-1)).toBe(false);
    expect(s.add(Number.NaN)).toBe(false);
    expect(s.add(Number.POSITIVE_INFINITY)).toBe(false);
    expect(s.count).toBe(0);
    expect(s.add(0)).toBe(true);
    expect(s.count).toBe(1);
  });

  it('agrees with a two-pass reference computation (property)', () => {
    fc.assert(
      fc.property(fc.array(rtt, { minLength: 1, maxLength: 200 }), (xs) => {
        const s = new RttStats();
        xs.forEach((x) => s.add(x));
        const r = reference(xs);
        const scale = r.worst;
        expect(s.count).toBe(xs.length);
        expect(s.last).toBe(xs[xs.length - 1]);
        expect(s.best).toBe(r.best);
        expect(s.worst).toBe(r.worst);
        close(s.mean, r.mean, scale);
        close(s.stdev, r.stdev, scale);
        close(s.jitter, r.jitter, scale);
        expect(s.jitterMax).toBe(r.jitterMax);
        expect(s.jitterCurrent).toBe(r.jitterCurrent);
      }),
      { numRuns: 300 },
    );
  });

  it('stays accurate for large offsets with tiny spread (Welford)', () => {
    const s = new RttStats();
    const xs = Array.from({ length: 10_000 }, (_, i) => 1e6 + (i % 2 ? 0.001 : -0.001));
    xs.forEach((x) => s.add(x));
    expect(s.mean).toBeCloseTo(1e6, 6);
    expect(s.stdev).toBeCloseTo(0.001 * Math.sqrt(10_000 / 9_999), 8);
  });

  it('clear() forgets everything', () => {
    const s = new RttStats();
    s.add(1);
    s.add(3);
    s.clear();
    expect(s.count).toBe(0);
    expect(s.mean).toBeNull();
    s.add(5);
    expect(s.jitter).toBe(0);
    expect(s.stdev).toBe(0);
  });
});

describe('RingBuffer', () => {
  it('rejects a capacity below 1', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });

  it('keeps the last N items oldest first and never exceeds capacity (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer(), { maxLength: 300 }), (capacity, items) => {
        const b = new RingBuffer<number>(capacity);
        items.forEach((x, i) => {
          const evicted = b.push(x);
          expect(b.size).toBe(Math.min(i + 1, capacity));
          expect(evicted).toBe(i >= capacity ? items[i - capacity] : undefined);
        });
        expect(b.capacity).toBe(capacity);
        expect(b.toArray()).toEqual(items.slice(-capacity));
      }),
    );
  });

  it('clear() empties it and it works again after', () => {
    const b = new RingBuffer<string>(2);
    b.push('a');
    b.push('b');
    b.push('c');
    b.clear();
    expect(b.size).toBe(0);
    expect(b.toArray()).toEqual([]);
    b.push('d');
    expect(b.toArray()).toEqual(['d']);
  });
});
