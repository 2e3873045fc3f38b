import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bucketQuantiles, RTT_BUCKETS_PER_LN } from '../../../src/main/history/minuteStats';

/** What DuckDB's bucket expression computes: round(ln(max(µs, 1)) × K). */
const bucketOf = (us: number) => Math.round(Math.log(Math.max(us, 1)) * RTT_BUCKETS_PER_LN);

describe('bucketed percentiles', () => {
  it('land within half a bucket of the sample at that rank', () => {
    const halfBucket = Math.exp(0.5 / RTT_BUCKETS_PER_LN) * (1 + 1e-9);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0, 0.5, 0.95, 0.99, 1),
        (rtts, p) => {
          const counts = new Map<number, number>();
          for (const us of rtts) counts.set(bucketOf(us), (counts.get(bucketOf(us)) ?? 0) + 1);
          const [value] = bucketQuantiles([...counts], [p]);
          const sorted = [...rtts].sort((a, b) => a - b);
          const atRank = sorted[Math.floor(p * (rtts.length - 1))]! / 1000;
          expect(value).not.toBeNull();
          expect(value! / atRank).toBeLessThanOrEqual(halfBucket);
          expect(atRank / value!).toBeLessThanOrEqual(halfBucket);
        },
      ),
    );
  });

  it('is null for an empty distribution', () => {
    expect(bucketQuantiles([], [0.5, 0.99])).toEqual([null, null]);
  });
});
