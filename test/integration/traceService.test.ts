import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { TraceService } from '../../src/main/service/traceService';
import { namespaceResolvers } from '../net/namespaceResolvers';
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
    service = new TraceService({ mtrPacketPath: getNet().mtrPacketPath, resolvers: namespaceResolvers(getNet()) });
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
    const names = events(s.value.id).filter((e) => e.type === 'hostname');
    expect(names.length).toBeGreaterThan(0);
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

  it('reaps mtr-packet on dispose, with a continuous session still running', async () => {
    const net = getNet();
    const s = await service.dispatch('startSession', { target: net.target.v4, intervalSec: 0.1, dns: false });
    expect(s.ok).toBe(true);
    expect(mtrPacketChildren().length).toBeGreaterThan(0);
    await service.dispose();
    expect(mtrPacketChildren()).toEqual([]);
  });
});
