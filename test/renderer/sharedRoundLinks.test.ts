import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Sample } from '@shared/traceFile';
import { appendCapped } from '../../src/renderer/src/store/sampleList';
import { countLinks, LinkCountCache, type LinkCounts } from '../../src/renderer/src/graph/sharedRoundLinks';
import { layoutPath } from '../../src/renderer/src/graph/pathLayout';
import { hop, host, sample } from '../fixtures/traceBuilders';

/** The straightforward merge pathEdges.ts used before counts were cached, as sorted "a>b=count" entries. */
function mergedLinks(a: readonly Sample[], b: readonly Sample[]): string[] {
  const counts = new Map<string, number>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const sa = a[i]!;
    const sb = b[j]!;
    if (sa.round < sb.round) i++;
    else if (sa.round > sb.round) j++;
    else {
      if (sa.rttMs !== null && sb.rttMs !== null && sa.address !== null && sb.address !== null) {
        const key = `${sa.address}>${sb.address}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      i++;
      j++;
    }
  }
  return [...counts].map(([key, n]) => `${key}=${n}`).sort();
}

function entries(counts: LinkCounts): string[] {
  return [...counts].flatMap(([a, row]) => [...row].map(([b, n]) => `${a}>${b}=${n}`)).sort();
}

const ADDRESSES = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

/** A reply (or a loss) at an offset from the newest round: mostly new rounds, sometimes a late or repeated one. */
const nearHead = fc
  .record({
    offset: fc.integer({ min: -6, max: 3 }),
    address: fc.constantFrom(...ADDRESSES),
    lost: fc.boolean(),
  })
  .map(({ offset, address, lost }) => sample(offset, address, lost ? null : 1));

/** One live step: batches for both TTLs (as the store merges them), or fresh unrelated lists, or nothing. */
const step = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constant('batch' as const), fc.integer({ min: 0, max: 3 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('fresh' as const), fc.integer({ min: 0, max: 40 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('same' as const), fc.constant(0)) },
);

describe('LinkCountCache', () => {
  it('counts like the straightforward merge through any sequence of live batches', () => {
    fc.assert(
      fc.property(
        fc.array(
          step.chain(([kind, n]) =>
            fc.tuple(
              fc.constant(kind),
              fc.constant(n),
              fc.array(nearHead, { maxLength: 4 }),
              fc.array(nearHead, { maxLength: 4 }),
            ),
          ),
          { maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 24 }),
        (steps, cap) => {
          const cache = new LinkCountCache();
          let a: readonly Sample[] = [];
          let b: readonly Sample[] = [];
          let head = 0;
          for (const [kind, n, addA, addB] of steps) {
            const shift = (s: Sample) => sample(Math.max(0, s.round + head), s.address, s.rttMs);
            if (kind === 'batch') {
              head += n;
              a = appendCapped(a, addA.map(shift), cap);
              b = appendCapped(b, addB.map(shift), cap);
            } else if (kind === 'fresh') {
              head = n;
              a = appendCapped([], addA.map(shift), cap);
              b = appendCapped([], addB.map(shift), cap);
            }
            expect(entries(cache.counts(1, 2, a, b))).toEqual(mergedLinks(a, b));
            // A second pair over the same lists reuses their diffs, but may have skipped earlier steps.
            if (n !== 1) expect(entries(cache.counts(2, 1, b, a))).toEqual(mergedLinks(b, a));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts like the merge for lists that do not ascend (counted afresh each time)', () => {
    const list = fc.array(
      fc
        .record({ round: fc.integer({ min: 0, max: 8 }), address: fc.constantFrom(...ADDRESSES), lost: fc.boolean() })
        .map(({ round, address, lost }) => sample(round, address, lost ? null : 1)),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(list, list), { minLength: 1, maxLength: 6 }), (pairs) => {
        const cache = new LinkCountCache();
        for (const [a, b] of pairs) {
          expect(entries(cache.counts(1, 2, a, b))).toEqual(mergedLinks(a, b));
          expect(entries(countLinks(a, b))).toEqual(mergedLinks(a, b));
        }
      }),
    );
  });

  it('counts like the merge when a list stops ascending but keeps its sample objects', () => {
    const ascending = fc
      .uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 16 })
      .map((rounds) => rounds.sort((x, y) => x - y).map((r) => sample(r, ADDRESSES[r % 3]!, 1)));
    fc.assert(
      fc.property(ascending, ascending, fc.nat(), fc.boolean(), (a, b, at, duplicate) => {
        const i = at % (a.length - 1);
        // The same objects, two swapped or one repeated: only their order says the list no longer ascends.
        const disordered = duplicate
          ? [...a.slice(0, i + 1), a[i]!, ...a.slice(i + 1)]
          : [...a.slice(0, i), a[i + 1]!, a[i]!, ...a.slice(i + 2)];
        const cache = new LinkCountCache();
        cache.counts(1, 2, a, b);
        expect(entries(cache.counts(1, 2, disordered, b))).toEqual(mergedLinks(disordered, b));
        expect(entries(cache.counts(1, 2, b, disordered))).toEqual(mergedLinks(b, disordered));
        // And on: counts over a list that did not ascend are no base to update from.
        const later = [...disordered.slice(1), sample(31 + at, ADDRESSES[at % 3]!, 1)];
        expect(entries(cache.counts(1, 2, b, later))).toEqual(mergedLinks(b, later));
        expect(entries(cache.counts(1, 2, b, a))).toEqual(mergedLinks(b, a));
      }),
      { numRuns: 300 },
    );
  });

  it('gives layoutPath the same edges with and without the cache over a live trace', () => {
    const hops = [
      hop(1, [host('10.0.0.1')]),
      hop(2, [host('10.0.0.2'), host('10.0.0.3')]),
      hop(3, [host('10.0.0.2'), host('10.0.0.3')]),
    ];
    const cache = new LinkCountCache();
    let samples: Record<number, readonly Sample[]> = {};
    let last = layoutPath(hops, { destinationTtl: null });
    for (let round = 0; round < 40; round++) {
      // Branch by round: 10.0.0.2 → 10.0.0.3 on even rounds; every seventh round is lost at TTL 3.
      const at2 = round % 2 === 0 ? '10.0.0.2' : '10.0.0.3';
      const at3 = round % 7 === 0 ? null : round % 2 === 0 ? '10.0.0.3' : '10.0.0.2';
      samples = {
        1: appendCapped(samples[1], [sample(round, '10.0.0.1', 1)], 10),
        2: appendCapped(samples[2], [sample(round, at2, 2)], 10),
        3: appendCapped(samples[3], [sample(round, at3, at3 === null ? null : 3)], 10),
      };
      const opts = { destinationTtl: null, samples, flowFixedPerRound: true };
      const cached = layoutPath(hops, { ...opts, linkCounts: cache });
      expect(cached.edges).toEqual(layoutPath(hops, opts).edges);
      last = cached;
    }
    // Rounds 30-39 are held: 10.0.0.2 → 10.0.0.3 in the five even ones, back in four odd ones (35 was lost).
    const counts = Object.fromEntries(last.edges.map((e) => [`${e.source}>${e.target}`, e.count]));
    expect(counts).toMatchObject({ '2:10.0.0.2>3:10.0.0.3': 5, '2:10.0.0.3>3:10.0.0.2': 4 });
  });
});
