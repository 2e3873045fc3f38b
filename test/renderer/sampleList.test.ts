/**
 * A TTL's sample list in the store (appendCapped): one sample per round,
 * newest last, at most the cap, whatever order and repeats batches bring.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Sample } from '@shared/traceFile';
import { appendCapped } from '../../src/renderer/src/store/sampleList';
import { sample } from '../fixtures/traceBuilders';

describe('appendCapped', () => {
  it('returns the same array when nothing is added', () => {
    const list = [sample(0, '10.0.0.1', 1)];
    expect(appendCapped(list, [], 10)).toBe(list);
  });

  it('replaces the sample of a round it already holds (a late reply after a presumed loss)', () => {
    const list = [sample(0, '10.0.0.1', 1), sample(1, null, null), sample(2, '10.0.0.1', 1)];
    const late = sample(1, '10.0.0.1', 900);
    const merged = appendCapped(list, [late, sample(3, '10.0.0.1', 2)], 10);
    expect(merged.map((s) => [s.round, s.result])).toEqual([
      [0, 'ttl-expired'],
      [1, 'ttl-expired'],
      [2, 'ttl-expired'],
      [3, 'ttl-expired'],
    ]);
    expect(merged[1]).toBe(late);
    expect(list[1]!.result).toBe('no-reply'); // the previous array is not mutated
  });

  it('keeps rounds in order when a round settles after a later one, and caps oldest first', () => {
    const merged = appendCapped([sample(5, '10.0.0.1', 1), sample(7, '10.0.0.1', 1)], [sample(6, null, null)], 2);
    expect(merged.map((s) => s.round)).toEqual([6, 7]);
  });

  it('holds one sample per round for any interleaving of deltas', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.boolean()), { maxLength: 80 }), (deltas) => {
        let list: readonly ReturnType<typeof sample>[] = [];
        const latest = new Map<number, ReturnType<typeof sample>>();
        for (const [round, answered] of deltas) {
          const s = sample(round, answered ? '10.0.0.1' : null, answered ? 1 : null);
          latest.set(round, s);
          list = appendCapped(list, [s], 25);
        }
        const expected = [...latest.keys()].sort((a, b) => a - b).slice(-25);
        expect(list.map((s) => s.round)).toEqual(expected);
        for (const s of list) expect(s).toBe(latest.get(s.round));
      }),
    );
  });
});

/** What the list must be: of every sample ever added, the last of each round, in round order, the newest `cap`. */
function expectedList(batches: readonly (readonly Sample[])[], cap: number): Sample[] {
  const latest = new Map<number, Sample>();
  for (const batch of batches) for (const s of batch) latest.set(s.round, s);
  return [...latest.keys()]
    .sort((a, b) => a - b)
    .slice(-cap)
    .map((round) => latest.get(round)!);
}

describe('appendCapped over batches', () => {
  const round = fc.integer({ min: 0, max: 60 });
  const aSample = fc
    .tuple(round, fc.boolean())
    .map(([r, answered]) => sample(r, answered ? '10.0.0.1' : null, answered ? 1 : null));

  it('equals the last sample of each round, newest cap, for batches in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(aSample, { maxLength: 6 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 20 }),
        (batches, cap) => {
          let list: readonly Sample[] = [];
          for (const batch of batches) list = appendCapped(list, batch, cap);
          expect(list).toEqual(expectedList(batches, cap));
          list.forEach((s, i) => expect(s).toBe(expectedList(batches, cap)[i]));
        },
      ),
    );
  });

  it('does the same for live batches: several responders a round, rounds after the newest held', () => {
    // The engine's usual batch: each new round once or more (one sample per responder), rounds rising.
    const liveBatches = fc
      .array(fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })), { maxLength: 4 }), {
        maxLength: 40,
      })
      .map((steps) => {
        let next = 0;
        return steps.map((batch) =>
          batch.flatMap(([gap, responders]) => {
            next += gap;
            return Array.from({ length: responders }, (_, k) => sample(next, `10.0.0.${k + 1}`, k + 1));
          }),
        );
      });
    fc.assert(
      fc.property(liveBatches, fc.integer({ min: 1, max: 12 }), (batches, cap) => {
        let list: readonly Sample[] = [];
        for (const batch of batches) {
          const before = list;
          const copy = [...before];
          list = appendCapped(list, batch, cap);
          expect(before).toEqual(copy); // the previous list is never changed
        }
        const expected = expectedList(batches, cap);
        expect(list.length).toBe(expected.length);
        list.forEach((s, i) => expect(s).toBe(expected[i]));
      }),
    );
  });
});
