import { describe, expect, it } from 'vitest';
import { buildTraceDocument } from '@shared/traceDocument';
import { traceDocumentSchema } from '@shared/traceFile';
import { ScriptedTransport, type ScriptedHop } from '../../fixtures/scriptedTransport';
import { TARGET, scriptedSession, waitFor } from './sessionHarness';

const routers = (n: number): ScriptedHop[] =>
  Array.from({ length: n }, (_, i) => ({ responders: [`198.18.0.${i + 1}`] }));

describe('where the path ends', () => {
  it('finds the destination again further out when a shortcut goes away, keeping every hop history', async () => {
    const transport = new ScriptedTransport(routers(7), TARGET, 1);
    const { session } = scriptedSession(transport, { count: null, maxTtl: 12 });
    await session.start();
    await waitFor(() => session.summary().destinationTtl === 8 && session.summary().rounds >= 3, 'the long path');
    const longRounds = session.snapshotHops()[7]!.samples.length;

    transport.path = routers(6); // a shortcut: the target is one hop closer
    await waitFor(() => session.summary().destinationTtl === 7, 'the shortcut');
    await waitFor(() => session.summary().rounds >= 8, 'rounds on the shortcut');
    let hops = session.snapshotHops();
    expect(hops.map((h) => h.ttl)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(hops[7]!.onPath).toBe(false); // TTL 8 is off the path but keeps its history
    expect(hops[7]!.samples.length).toBeGreaterThanOrEqual(longRounds);
    expect(hops[7]!.hosts[0]!.address).toBe(TARGET);
    const sentAt8 = hops[7]!.sent;

    transport.path = routers(7); // the shortcut goes away: TTL 7 is a router again
    await waitFor(() => session.summary().destinationTtl === 8, 'the destination at TTL 8 again');
    const rounds = session.summary().rounds;
    await waitFor(() => session.summary().rounds >= rounds + 2, 'rounds on the long path');
    session.stop();
    await session.done;
    hops = session.snapshotHops();
    expect(hops.map((h) => h.ttl)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(hops.every((h) => h.onPath !== false)).toBe(true);
    expect(hops[7]!.sent).toBeGreaterThan(sentAt8); // TTL 8 is probed again
    expect(hops[6]!.hosts.map((h) => h.address).sort()).toEqual(['198.18.0.7', TARGET].sort());
    expect(hops[6]!.samples.at(-1)!.result).toBe('ttl-expired');
    // Later rounds never went past the end found again.
    const lastRound = Math.max(...transport.sent.map((p) => p.at));
    expect(transport.sent.filter((p) => p.at === lastRound).every((p) => p.options.ttl! <= 8)).toBe(true);
  });

  it('does not keep the TTLs the first round probed past the destination', async () => {
    const transport = new ScriptedTransport(routers(3), TARGET);
    const { session, batches } = scriptedSession(transport, { count: 2, maxTtl: 10 });
    await session.start();
    await session.done;
    expect(session.snapshotHops().map((h) => h.ttl)).toEqual([1, 2, 3, 4]);
    const dropped = batches.flatMap((b) => b.events).flatMap((e) => (e.type === 'hops' ? (e.dropped ?? []) : []));
    // Whatever the live stream announced beyond TTL 4 was withdrawn.
    const announced = new Set(
      batches.flatMap((b) => b.events).flatMap((e) => (e.type === 'hops' ? e.hops.map((h) => h.ttl) : [])),
    );
    for (const ttl of announced) if (ttl > 4) expect(dropped).toContain(ttl);
  });

  it('shows a router answering unreachable at its hop, stops there and says so in the summary and document', async () => {
    const path: ScriptedHop[] = [
      { responders: ['198.18.0.1'] },
      { responders: ['198.18.0.2'] },
      { responders: ['198.18.0.3'], unreachable: true },
      ...Array.from({ length: 7 }, () => ({ responders: [] })),
    ];
    const transport = new ScriptedTransport(path, TARGET);
    const { session } = scriptedSession(transport, { count: 3, maxTtl: 10 });
    await session.start();
    const summary = await session.done;
    expect(summary.state).toBe('finished');
    expect(summary.unreachable).toEqual({ ttl: 3, address: '198.18.0.3' });
    expect(summary.destinationTtl).toBeNull();
    expect(summary.error).toBeUndefined();
    const hops = session.snapshotHops();
    expect(hops.map((h) => h.ttl)).toEqual([1, 2, 3]);
    const last = hops[2]!;
    expect(last.unreachable).toBe(true);
    expect(last.hosts.map((h) => h.address)).toEqual(['198.18.0.3']);
    expect(last.received).toBe(3);
    expect(last.lossPct).toBe(0);
    expect(last.samples.every((s) => s.result === 'no-route' && s.address === '198.18.0.3')).toBe(true);
    // Rounds after the first probe nothing past the unreachable router.
    expect(transport.sent.slice(10).every((p) => p.options.ttl! <= 3)).toBe(true);
    const doc = traceDocumentSchema.parse(buildTraceDocument(summary, hops));
    expect(doc.unreachable).toEqual({ ttl: 3, address: '198.18.0.3' });
    expect(doc.destinationReached).toBe(false);
    transport.releaseSilent();
  });
});
