import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ProbeResult, ProbeResultKind } from '@shared/probe';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import { traceOptionsSchema } from '@shared/traceOptions';
import { PathState, type PathEffects } from '../../../src/main/trace/pathState';
import { EventBatcher } from '../../../src/main/trace/eventBatcher';
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
  | { op: 'flush' };

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

describe('PathState with EventBatcher', () => {
  it('streams exactly the hops it snapshots, for any order of sends, results and presumed losses (property)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), fc.integer({ min: 2, max: 12 }), (ops, cap) => {
        const path = new PathState(1, 8, cap);
        const batches: SessionEventBatch[] = [];
        const batcher = new EventBatcher('p', 1e9, path, (b) => batches.push(b));
        const probes: { probeId: number; ttl: number; round: number }[] = [];
        const apply = (effects: PathEffects) => {
          if (effects.dropped) batcher.drop(effects.dropped);
          batcher.markDirty(effects.dirty);
        };
        let round = 0;
        for (const o of ops) {
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
          } else {
            const probe = probes[o.pick % Math.max(1, probes.length)];
            if (!probe) continue;
            if (o.op === 'presume') apply(path.apply({ kind: 'presumed-lost', ...probe }));
            else apply(path.apply({ kind: 'result', ...probe, result: resultOf(o.kind, probe.ttl, o.withAddress) }));
          }
        }
        batcher.flush();
        batcher.cancel();

        const options = traceOptionsSchema.parse({ target: '198.18.9.9', sampleBufferSize: cap });
        const summary = { id: 'p', options, restarts: [] } as unknown as SessionSummary;
        let tab = createLiveTab({ id: 't', summary, sampleCap: cap });
        for (const batch of batches) tab = applyEventBatch(tab, batch);
        const engine = path.snapshot();
        const live = tabHops(tab);
        expect(live.map(({ samples: _s, ...stats }) => stats)).toEqual(
          engine.map(({ samples: _s, ...stats }) => stats),
        );
        live.forEach((hop, i) => {
          const mine = engine[i]!.samples;
          const rounds = hop.samples.map((s) => s.round);
          // One sample per round, in round order.
          expect(rounds).toEqual([...new Set(rounds)].sort((a, b) => a - b));
          // The live list may also hold rounds the engine's ring pushed out while it held pending probes.
          const from = mine[0]?.round ?? Infinity;
          expect(hop.samples.filter((s) => s.round >= from)).toEqual(mine);
        });
      }),
      { numRuns: 300 },
    );
  });
});
