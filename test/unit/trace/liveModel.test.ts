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

  it('per segment, across options changes to another protocol and a narrower TTL range', async () => {
    const transport = new ScriptedTransport(routers(4), TARGET);
    const { session, batches, initial } = scriptedSession(transport, { count: null });
    await session.start();
    await waitFor(() => session.summary().rounds >= 3, 'three rounds');
    await session.updateOptions(
      traceOptionsSchema.parse({ target: TARGET, protocol: 'udp', count: null, intervalSec: 0.05, dns: false }),
    );
    await waitFor(() => (session.summary().segments?.at(-1)?.rounds ?? 0) >= 2, 'two UDP rounds');
    await session.updateOptions(
      traceOptionsSchema.parse({ target: TARGET, maxTtl: 3, count: 3, intervalSec: 0.05, dns: false }),
    );
    await session.done;
    const summary = session.summary();
    expect(summary.segment).toBe(2);
    expect(summary.segments?.map((s) => [s.index, s.options.protocol, s.options.maxTtl])).toEqual([
      [0, 'icmp', 30],
      [1, 'udp', 30],
      [2, 'icmp', 3],
    ]);
    // The last segment probes TTLs 1-3 only and counts its own rounds; nothing of the others is in it.
    expect(session.snapshotHops().map((h) => [h.ttl, h.sent])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(summary.segments?.[2]?.destinationTtl).toBeNull();
    const earlier = session.snapshotEarlierSegments();
    expect(earlier[0]!.map((h) => h.ttl)).toEqual([1, 2, 3, 4, 5]);
    expect(earlier[1]!.every((h) => h.samples.every((s) => s.round >= summary.segments![1]!.firstRound))).toBe(true);
    const tab = expectLiveModelEqualsFileModel(session, batches, initial);
    expect(Object.keys(tab.earlierSegments)).toEqual(['0', '1']);
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
