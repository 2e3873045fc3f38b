import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ProbeResult, ProbeResultKind } from '@shared/probe';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import { traceOptionsSchema } from '@shared/traceOptions';
import { PathState, type PathEffects } from '../../../src/main/trace/pathState';
import { EventBatcher } from '../../../src/main/trace/eventBatcher';
import { SessionSegments } from '../../../src/main/trace/sessionSegments';
import type { Hop } from '@shared/traceFile';
import { applyEventBatch, createLiveTab, tabHops } from '../../../src/renderer/src/store/reducers';

const KINDS: ProbeResultKind[] = ['reply', 'ttl-expired', 'no-reply', 'no-route', 'helper-stalled', 'probes-exhausted'];

function resultOf(kind: ProbeResultKind, ttl: number, withAddress: boolean): ProbeResult {
  const success = kind === 'reply' || kind === 'ttl-expired';
  const responder =
    success || (kind === 'no-route' && withAddress) ? `198.18.${ttl}.${kind === 'reply' ? 9 : 1}` : null;
  return { success, result: kind, responder, timeMs: responder ? ttl : null, mpls: [] };
}

type Op =
  | { op: 'round'; ttls: number }
  | { op: 'result'; pick: number; kind: ProbeResultKind; withAddress: boolean }
  | { op: 'presume'; pick: number }
  | { op: 'flush' }
  | { op: 'options'; maxTtl: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('round' as const), ttls: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    op: fc.constant('result' as const),
    pick: fc.nat(60),
    kind: fc.constantFrom(...KINDS),
    withAddress: fc.boolean(),
  }),
  fc.record({ op: fc.constant('presume' as const), pick: fc.nat(60) }),
  fc.constant({ op: 'flush' as const }),
);
/** Like opArb, with now and then new options: a new segment with another TTL range. */
const segmentedOpArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: opArb, weight: 12 },
  { arbitrary: fc.record({ op: fc.constant('options' as const), maxTtl: fc.integer({ min: 1, max: 8 }) }), weight: 1 },
);

/** Live hops equal the engine's: statistics exactly, samples up to what the engine's ring pushed out. */
function expectSameHops(live: Hop[], engine: Hop[], what: string): void {
  expect(
    live.map(({ samples: _s, ...stats }) => stats),
    what,
  ).toEqual(engine.map(({ samples: _s, ...stats }) => stats));
  live.forEach((hop, i) => {
    const mine = engine[i]!.samples;
    const rounds = hop.samples.map((s) => s.round);
    // One sample per round, in round order.
    expect(rounds).toEqual([...new Set(rounds)].sort((a, b) => a - b));
    // The live list may also hold rounds the engine's ring pushed out while it held pending probes.
    const from = mine[0]?.round ?? Infinity;
    expect(
      hop.samples.filter((s) => s.round >= from),
      what,
    ).toEqual(mine);
  });
}

describe('PathState with EventBatcher', () => {
  it('streams exactly the hops it snapshots, per segment, for any order of sends, results, presumed losses and options changes (property)', () => {
    fc.assert(
      fc.property(fc.array(segmentedOpArb, { maxLength: 120 }), fc.integer({ min: 2, max: 12 }), (ops, cap) => {
        const optionsWith = (maxTtl: number) =>
          traceOptionsSchema.parse({ target: '198.18.9.9', sampleBufferSize: cap, maxTtl });
        const options = optionsWith(8);
        const segments = new SessionSegments(options, 0);
        const batches: SessionEventBatch[] = [];
        const source = {
          hopStats: (ttl: number) => segments.path.hopStats(ttl),
          takeChangedSamples: (ttl: number) => segments.path.takeChangedSamples(ttl),
          segmentIndex: () => segments.index,
        };
        const batcher = new EventBatcher('p', 1e9, source, (b) => batches.push(b));
        const summaryIn = (segment: number) =>
          ({
            id: 'p',
            options,
            restarts: [],
            state: 'running',
            destinationTtl: null,
            segment,
          }) as unknown as SessionSummary;
        // Probes of every segment stay pickable: a straggler of an earlier segment must change nothing now.
        const probes: { probeId: number; ttl: number; round: number }[] = [];
        const apply = (effects: PathEffects) => {
          if (effects.dropped) batcher.drop(effects.dropped);
          batcher.markDirty(effects.dirty);
        };
        let round = 0;
        for (const o of ops) {
          const path = segments.path;
          if (o.op === 'round') {
            const last = Math.min(o.ttls, path.probeLimit());
            for (let ttl = 1; ttl <= last; ttl++) {
              const probe = { probeId: probes.length + 1, ttl, round };
              probes.push(probe);
              path.sent(ttl, probe.probeId, round, round * 1000);
              batcher.markDirty([ttl]);
            }
            round++;
          } else if (o.op === 'flush') {
            batcher.flush();
          } else if (o.op === 'options') {
            batcher.flush();
            segments.next(optionsWith(o.maxTtl), { closedAt: round, at: round, round }, round, null);
            batcher.queue({ type: 'state', summary: summaryIn(segments.index) });
          } else {
            const probe = probes[o.pick % Math.max(1, probes.length)];
            if (!probe) continue;
            if (o.op === 'presume') apply(path.apply({ kind: 'presumed-lost', ...probe }));
            else apply(path.apply({ kind: 'result', ...probe, result: resultOf(o.kind, probe.ttl, o.withAddress) }));
          }
        }
        batcher.flush();
        batcher.cancel();

        let tab = createLiveTab({ id: 't', summary: summaryIn(0), sampleCap: cap });
        for (const batch of batches) tab = applyEventBatch(tab, batch);
        expect(tab.segment).toBe(segments.index);
        expectSameHops(tabHops(tab), segments.path.snapshot(), 'current segment');
        const earlier = segments.earlierHops();
        expect(Object.keys(tab.earlierSegments)).toEqual(Object.keys(earlier));
        for (const [index, hops] of Object.entries(earlier))
          expectSameHops(tabHops(tab.earlierSegments[Number(index)]!), [...hops], `segment ${index}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('PathState end of path', () => {
  const answer = (path: PathState, ttl: number, round: number, id: number, kind: ProbeResultKind) => {
    path.sent(ttl, id, round, round);
    return path.apply({ kind: 'result', ttl, round, probeId: id, result: resultOf(kind, ttl, true) });
  };

  it('moves down for a closer answer, and goes away only for a later round answering ttl-expired at its TTL', () => {
    const path = new PathState(1, 30, 10);
    expect(answer(path, 8, 0, 1, 'reply').endChanged).toEqual({
      end: { ttl: 8, kind: 'destination', address: '198.18.8.9', round: 0 },
    });
    path.roundCompleted(); // TTL 8 has been on the path: its history stays when the end moves below it
    expect(answer(path, 7, 1, 2, 'reply').endChanged?.end?.ttl).toBe(7);
    // A straggler of round 0 (sent before the end moved) does not contradict it.
    expect(answer(path, 7, 0, 3, 'ttl-expired').endChanged).toBeUndefined();
    expect(path.destinationTtl).toBe(7);
    expect(path.snapshot().map((h) => [h.ttl, h.onPath ?? true])).toEqual([
      [7, true],
      [8, false],
    ]);
    expect(answer(path, 7, 2, 4, 'ttl-expired').endChanged).toEqual({ end: null });
    expect(path.destinationTtl).toBeNull();
    expect(path.probeLimit()).toBe(8 + 5); // past the last answer again, by mtr's max-unknown
  });

  it('ends at a router answering unreachable, and gives way to the destination when the route comes back', () => {
    const path = new PathState(1, 30, 10);
    answer(path, 3, 0, 1, 'no-route');
    expect(path.unreachable).toEqual({ ttl: 3, address: '198.18.3.1' });
    expect(path.snapshot().find((h) => h.ttl === 3)?.unreachable).toBe(true);
    expect(answer(path, 3, 1, 2, 'reply').endChanged?.end?.kind).toBe('destination');
    expect(path.unreachable).toBeUndefined();
    expect(path.snapshot().find((h) => h.ttl === 3)?.unreachable).toBeUndefined();
  });

  it('does not end the path at an answer outside its TTL range', () => {
    const path = new PathState(1, 3, 10);
    expect(answer(path, 5, 0, 1, 'reply').endChanged).toBeUndefined();
    expect(path.destinationTtl).toBeNull();
    expect(path.snapshot().find((h) => h.ttl === 5)?.onPath).toBe(false);
  });
});
