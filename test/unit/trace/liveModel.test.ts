import { describe, expect, it } from 'vitest';
import { traceOptionsSchema } from '@shared/traceOptions';
import { ScriptedTransport, type ScriptedHop } from '../../fixtures/scriptedTransport';
import { TARGET, expectLiveModelEqualsFileModel, scriptedSession, waitFor } from './sessionHarness';

const routers = (n: number): ScriptedHop[] =>
  Array.from({ length: n }, (_, i) => ({ responders: [`198.18.0.${i + 1}`] }));

// The renderer's tab, fed only the live batches, must hold what the engine
// snapshots and exports: the same hops, statistics and samples.
describe('live model equals the file model', () => {
  it('after replies that arrive once their probes were presumed lost', async () => {
    const path = [{ responders: ['198.18.0.1'] }, { responders: ['198.18.0.2'], lateReplyMs: 120 }];
    const transport = new ScriptedTransport(path, TARGET, 1);
    const { session, batches, initial } = scriptedSession(transport, { count: 3 });
    await session.start();
    await session.done;
    await new Promise((r) => setTimeout(r, 250));
    const late = session.snapshotHops()[1]!;
    // One sample per round, corrected in place: no `no-reply` copy left beside the late reply.
    expect(late.samples.map((s) => [s.round, s.result])).toEqual([
      [0, 'ttl-expired'],
      [1, 'ttl-expired'],
      [2, 'ttl-expired'],
    ]);
    expect(
      batches
        .flatMap((b) => b.events)
        .some(
          (e) =>
            e.type === 'hops' && e.samples.some((d) => d.ttl === 2 && d.samples.some((s) => s.result === 'no-reply')),
        ),
    ).toBe(true);
    expectLiveModelEqualsFileModel(session, batches, initial);
  });

  it('under ECMP with a silent hop', async () => {
    const path = [{ responders: ['198.18.0.1'] }, { responders: [] }, { responders: ['198.18.4.1', '198.18.4.2'] }];
    const transport = new ScriptedTransport(path, TARGET);
    const { session, batches, initial } = scriptedSession(transport, { count: 5 });
    await session.start();
    await session.done;
    transport.releaseSilent();
    await new Promise((r) => setTimeout(r, 20));
    expectLiveModelEqualsFileModel(session, batches, initial);
  });

  it('across restarts with a narrower TTL range, keeping the hops left out', async () => {
    const transport = new ScriptedTransport(routers(4), TARGET);
    const { session, batches, initial } = scriptedSession(transport, { count: null });
    await session.start();
    await waitFor(() => session.summary().rounds >= 3, 'three rounds');
    await session.updateOptions(
      traceOptionsSchema.parse({ target: TARGET, maxTtl: 3, count: 3, intervalSec: 0.05, dns: false }),
    );
    await session.done;
    const hops = session.snapshotHops();
    expect(hops.map((h) => [h.ttl, h.onPath ?? true])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, false],
      [5, false],
    ]);
    expect(session.summary().restarts).toHaveLength(1);
    expectLiveModelEqualsFileModel(session, batches, initial);
  });

  it('while the path gets shorter and longer again', async () => {
    const transport = new ScriptedTransport(routers(7), TARGET, 1);
    const { session, batches, initial } = scriptedSession(transport, { count: null, maxTtl: 12 });
    await session.start();
    await waitFor(() => session.summary().destinationTtl === 8 && session.summary().rounds >= 3, 'the long path');
    transport.path = routers(6);
    await waitFor(() => session.summary().destinationTtl === 7, 'the shortcut');
    await waitFor(() => session.summary().rounds >= 8, 'rounds on the shortcut');
    transport.path = routers(7);
    await waitFor(() => session.summary().destinationTtl === 8, 'the long path again');
    const rounds = session.summary().rounds;
    await waitFor(() => session.summary().rounds >= rounds + 2, 'rounds on the long path');
    session.stop();
    await session.done;
    await new Promise((r) => setTimeout(r, 30));
    expectLiveModelEqualsFileModel(session, batches, initial);
  });
});
