import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { TraceService } from '../../src/main/service/traceService';
import { namespaceResolvers } from '../net/namespaceResolvers';
import { namespaceRouteLookup } from '../net/namespaceRouteLookup';
import { traceDocumentSchema } from '@shared/traceFile';
import type { SessionEvent, SessionEventBatch } from '@shared/session';

/** mtr-packet processes that are children of this test process. */
function mtrPacketChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.endsWith('mtr-packet'));
}

describeWithNetwork('TraceService on a real namespace network', (getNet) => {
  let service: TraceService;
  const batches: SessionEventBatch[] = [];

  beforeAll(() => {
    service = new TraceService({
      mtrPacketPath: getNet().mtrPacketPath,
      resolvers: namespaceResolvers(getNet()),
      routeLookup: namespaceRouteLookup(getNet()),
    });
    service.onEvents((b) => batches.push(b));
  });
  afterAll(async () => {
    await service?.dispose();
  });

  const events = (sessionId: string) => batches.filter((b) => b.sessionId === sessionId).flatMap((b) => b.events);
  const stateOf = (sessionId: string) =>
    events(sessionId)
      .filter((e): e is Extract<SessionEvent, { type: 'state' }> => e.type === 'state')
      .at(-1)?.summary.state;

  it('reports mtr-packet and its features', async () => {
    const status = await service.dispatch('checkMtrPacket', undefined);
    expect(status).toMatchObject({ ok: true, value: { available: true, version: '0.95' } });
    if (status.ok) expect(status.value.features).toMatchObject({ udp: true, tcp: true, sctp: false });
  });

  it('runs sessions, streams their events and exports a valid document', async () => {
    const net = getNet();
    const a = await service.dispatch('startSession', { target: net.target.v4, count: 3, intervalSec: 0.1, dns: false });
    const b = await service.dispatch('startSession', {
      target: net.target.v6,
      protocol: 'udp',
      count: 3,
      intervalSec: 0.1,
      dns: false,
    });
    if (!a.ok || !b.ok) throw new Error('start failed');
    await expect.poll(() => stateOf(a.value.id), { timeout: 20_000 }).toBe('finished');
    await expect.poll(() => stateOf(b.value.id), { timeout: 20_000 }).toBe('finished');
    expect(events(a.value.id).some((e) => e.type === 'destination-reached')).toBe(true);

    const doc = await service.dispatch('getSessionDocument', { sessionId: a.value.id });
    if (!doc.ok) throw new Error(doc.error.message);
    const parsed = traceDocumentSchema.parse(doc.value);
    expect(parsed.hops.map((h) => h.ttl)).toEqual(net.hops.map((h) => h.ttl));
    expect(parsed.hops[0]!.samples).toHaveLength(3);

    const last = await service.dispatch('getLastTraceOptions', undefined);
    expect(last).toMatchObject({ ok: true, value: { target: net.target.v6, protocol: 'udp' } });

    const list = await service.dispatch('listSessions', undefined);
    expect(list.ok && list.value.map((s) => s.id).sort()).toEqual([a.value.id, b.value.id].sort());
  });

  it('resolves a target name and reverse names inside the namespace', async () => {
    const net = getNet();
    const resolved = await service.dispatch('resolveTarget', { target: net.target.name });
    expect(resolved).toMatchObject({ ok: true, value: { v4: [net.target.v4], v6: [net.target.v6] } });
    const s = await service.dispatch('startSession', { target: net.target.name, ipVersion: 4, count: 1, dns: true });
    if (!s.ok) throw new Error(s.error.message);
    await expect.poll(() => stateOf(s.value.id), { timeout: 20_000 }).toBe('finished');
    expect(s.value.options.target).toBe(net.target.name);
    await expect
      .poll(async () => {
        const doc = await service.dispatch('getSessionDocument', { sessionId: s.value.id });
        return doc.ok ? doc.value.hops[0]!.hosts[0]?.hostname : undefined;
      })
      .toBe(net.hops[0]!.names[0]);
    // The event follows in the next batch (the document reads the cache at once).
    await expect.poll(() => events(s.value.id).filter((e) => e.type === 'hostname').length).toBeGreaterThan(0);
  });

  it('pauses, resumes and stops a continuous session', async () => {
    const net = getNet();
    const s = await service.dispatch('startSession', { target: net.target.v4, intervalSec: 0.1, dns: false });
    if (!s.ok) throw new Error('start failed');
    const id = s.value.id;
    await expect.poll(() => stateOf(id), { timeout: 10_000 }).toBe('running');
    const paused = await service.dispatch('pauseSession', { sessionId: id });
    expect(paused.ok && paused.value.state).toBe('paused');
    await expect.poll(() => stateOf(id)).toBe('paused');
    const resumed = await service.dispatch('resumeSession', { sessionId: id });
    expect(resumed.ok && resumed.value.state).toBe('running');
    const stopped = await service.dispatch('stopSession', { sessionId: id });
    expect(stopped.ok && stopped.value.state).toBe('stopped');
  });

  it('answers unknown sessions and bad payloads with typed errors', async () => {
    const missing = await service.dispatch('stopSession', { sessionId: 'no-such-session' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const bad = await service.dispatch('startSession', { target: 'a\n1 send-probe ip-4 127.0.0.1' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request', field: 'target' } });
  });

  it('holds the session cap against 1,000 parallel startSession calls', async () => {
    const net = getNet();
    const capped = new TraceService({
      mtrPacketPath: net.mtrPacketPath,
      resolvers: namespaceResolvers(net),
      routeLookup: namespaceRouteLookup(net),
      maxSessions: 32,
    });
    try {
      // mtr-packet is not open yet: every call would pass a check made before that await.
      const results = await Promise.all(
        Array.from({ length: 1000 }, () =>
          capped.dispatch('startSession', { target: net.target.v4, count: 1, dns: false }),
        ),
      );
      const accepted = results.filter((r) => r.ok);
      expect(accepted).toHaveLength(32);
      for (const refused of results.filter((r) => !r.ok)) {
        expect(refused).toMatchObject({
          ok: false,
          error: { code: 'failed', message: expect.stringMatching(/at most 32/) },
        });
      }
      const list = await capped.dispatch('listSessions', undefined);
      expect(list.ok && list.value).toHaveLength(32);
      // A closed session frees exactly one slot.
      const first = accepted[0]!;
      if (!first.ok) throw new Error('unreachable');
      await capped.dispatch('closeSession', { sessionId: first.value.id });
      const again = await Promise.all(
        Array.from({ length: 50 }, () =>
          capped.dispatch('startSession', { target: net.target.v4, count: 1, dns: false }),
        ),
      );
      expect(again.filter((r) => r.ok)).toHaveLength(1);
    } finally {
      await capped.dispose();
    }
  });

  it("closes a gone connection's sessions after the grace period unless another attaches them", async () => {
    const net = getNet();
    const leasing = new TraceService({
      mtrPacketPath: net.mtrPacketPath,
      resolvers: namespaceResolvers(net),
      routeLookup: namespaceRouteLookup(net),
      maxSessions: 4,
      orphanGraceMs: 300,
    });
    const seen: SessionEventBatch[] = [];
    leasing.onEvents((b) => seen.push(b));
    try {
      const firstPage = {};
      const secondPage = {};
      const started = await Promise.all(
        Array.from({ length: 4 }, () =>
          leasing.dispatch(
            'startSession',
            { target: net.target.v4, intervalSec: 0.1, dns: false },
            { owner: firstPage },
          ),
        ),
      );
      const ids = started.map((r) => {
        if (!r.ok) throw new Error(r.error.message);
        return r.value.id;
      });
      const full = await leasing.dispatch('startSession', { target: net.target.v4, count: 1 }, { owner: secondPage });
      expect(full).toMatchObject({ ok: false, error: { message: expect.stringMatching(/at most 4/) } });

      leasing.release(firstPage);
      // The next page finds the sessions and takes one back within the grace period.
      const listed = await leasing.dispatch('listSessions', undefined, { owner: secondPage });
      expect(listed.ok && listed.value.map((s) => s.id).sort()).toEqual([...ids].sort());
      const attached = await leasing.dispatch('attachSession', { sessionId: ids[0]! }, { owner: secondPage });
      expect(attached).toMatchObject({
        ok: true,
        value: { id: ids[0], state: expect.stringMatching(/resolving|running/) },
      });
      const missing = await leasing.dispatch('attachSession', { sessionId: 'no-such-session' }, { owner: secondPage });
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });

      // The others are closed once the grace period is over; the attached one keeps running.
      await expect
        .poll(
          async () => {
            const now = await leasing.dispatch('listSessions', undefined);
            return now.ok ? now.value.map((s) => s.id) : null;
          },
          { timeout: 10_000 },
        )
        .toEqual([ids[0]]);
      const before = seen.filter((b) => b.sessionId === ids[0]).length;
      await expect
        .poll(() => seen.filter((b) => b.sessionId === ids[0]).length, { timeout: 10_000 })
        .toBeGreaterThan(before);
      // Their slots are free again.
      const restarted = await leasing.dispatch(
        'startSession',
        { target: net.target.v4, count: 1, dns: false },
        { owner: secondPage },
      );
      expect(restarted.ok).toBe(true);
    } finally {
      await leasing.dispose();
    }
  });

  it("waits for the destination's own TCP probe when its first SYN was dropped (the kernel re-sends it)", async () => {
    const net = getNet();
    const port = net.target.openTcpPort;
    // Probes sent with the destination's TTL arrive with TTL 1; the first of them (numgen 0) is dropped, so
    // the kernel re-sends that SYN after a second, while the probes past it were answered at once.
    const rules = `table inet hs_firstsyn {
      chain input {
        type filter hook input priority 0;
        tcp dport ${port} ip ttl 1 tcp flags & (syn | ack) == syn numgen inc mod 2 == 0 drop
      }
    }`;
    const added = await net.exec(net.namespaces.target, ['nft', '-f', '-'], { input: rules });
    expect(added.code, added.stderr).toBe(0);
    try {
      const s = await service.dispatch('startSession', {
        target: net.target.v4,
        protocol: 'tcp',
        port,
        count: 1,
        dns: false,
      });
      if (!s.ok) throw new Error(s.error.message);
      await expect.poll(() => stateOf(s.value.id), { timeout: 20_000 }).toBe('finished');
      // As the run ended, not later: the reply to the re-sent SYN is what round 0 recorded.
      const doc = await service.dispatch('getSessionDocument', { sessionId: s.value.id });
      if (!doc.ok) throw new Error(doc.error.message);
      const destination = doc.value.hops.find((h) => h.ttl === net.destinationTtl)!;
      expect(destination.samples).toMatchObject([{ round: 0, result: 'reply', address: net.target.v4 }]);
      expect(destination.samples[0]!.rttMs).toBeGreaterThan(900);
      expect(destination.lossPct).toBe(0);
    } finally {
      await net.exec(net.namespaces.target, ['nft', 'delete', 'table', 'inet', 'hs_firstsyn']);
    }
  });

  it('reaps mtr-packet on dispose, with a continuous session still running', async () => {
    const net = getNet();
    const s = await service.dispatch('startSession', { target: net.target.v4, intervalSec: 0.1, dns: false });
    expect(s.ok).toBe(true);
    expect(mtrPacketChildren().length).toBeGreaterThan(0);
    await service.dispose();
    expect(mtrPacketChildren()).toEqual([]);
  });
});
