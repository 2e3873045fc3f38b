/**
 * Helper faults mid-session, with the scripted fake mtr-packet (reality cannot
 * be killed or frozen on cue): a running and a paused session both go on
 * afterwards with every sample they had, and the timeline says what happened.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TraceService } from '../../src/main/service/traceService';
import { serviceCalls } from '../fixtures/serviceCalls';
import type { TraceDocument } from '@shared/traceFile';

const FAKE = fileURLToPath(new URL('../fixtures/fake-mtr-packet.mjs', import.meta.url));
const TARGET = '192.0.2.9';

/** Pids of the fake mtr-packets this test process started. */
function fakePids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes('fake-mtr-packet'))
    .map((l) => Number.parseInt(l.trim(), 10));
}

/** Every (ttl, round) the document holds a sample for, with its result. */
function sampleKeys(doc: TraceDocument): Map<string, string> {
  return new Map(doc.hops.flatMap((h) => h.samples.map((s) => [`${h.ttl}/${s.round}`, s.result] as const)));
}

describe('helper faults with a running and a paused session (fake mtr-packet)', () => {
  let service: TraceService;
  beforeEach(() => {
    process.env.FAKE_MTR_HOPS4 = '192.0.2.1,192.0.2.2';
    service = new TraceService({
      mtrPacketPath: FAKE,
      supervisorOptions: { restartDelaysMs: [50] },
      // The fake sends no packets; the route check must not depend on this machine's table either.
      routeLookup: async () => ({ routable: true, source: null }),
    });
  });
  afterEach(async () => {
    await service.dispose();
    delete process.env.FAKE_MTR_HOPS4;
  });

  const calls = serviceCalls(() => service);
  const { summary, doc } = calls;
  const start = (intervalSec = 0.1, target = TARGET) => calls.start({ target, intervalSec, timeoutSec: 1 });
  const rounds = async (id: string) => (await summary(id)).rounds;
  const markers = async (id: string, kind: string) => (await summary(id)).markers!.filter((m) => m.kind === kind);

  /** Both sessions have rounds; the second is paused. Returns their samples so far. */
  async function runningAndPaused() {
    const running = await start();
    const paused = await start();
    await expect.poll(() => rounds(paused), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await service.dispatch('pauseSession', { sessionId: paused });
    await expect.poll(() => rounds(running), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    return {
      running,
      paused,
      before: { running: sampleKeys(await doc(running)), paused: sampleKeys(await doc(paused)) },
    };
  }

  /** Every sample collected before is still there, with the same result. */
  async function expectKept(id: string, before: Map<string, string>) {
    const after = sampleKeys(await doc(id));
    for (const [key, result] of before) expect(after.get(key), key).toBe(result);
  }

  it('kill -9: the helper is restarted, both sessions go on with all their samples, and the restart is marked', async () => {
    const { running, paused, before } = await runningAndPaused();
    const [pid] = fakePids();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');

    await expect.poll(() => markers(running, 'helper-restarted'), { timeout: 10_000 }).toHaveLength(1);
    expect(await markers(paused, 'helper-restarted')).toHaveLength(1);
    await expect.poll(() => fakePids().filter((p) => p !== pid), { timeout: 10_000 }).toHaveLength(1);

    const afterRestart = await rounds(running);
    await expect.poll(() => rounds(running), { timeout: 10_000 }).toBeGreaterThan(afterRestart + 3);
    expect((await summary(running)).state).toBe('running');

    const resumed = await service.dispatch('resumeSession', { sessionId: paused });
    expect(resumed).toMatchObject({ ok: true, value: { state: 'running' } });
    const pausedRounds = await rounds(paused);
    await expect.poll(() => rounds(paused), { timeout: 10_000 }).toBeGreaterThan(pausedRounds + 3);

    await expectKept(running, before.running);
    await expectKept(paused, before.paused);
    // A probe cut short by the death is no loss: the path itself lost nothing.
    for (const id of [running, paused]) {
      const d = await doc(id);
      expect(d.hops.map((h) => h.lossPct)).toEqual(d.hops.map(() => 0));
    }

    // Options applied after the restart take effect (the session is not bound to the dead helper).
    const updated = await service.dispatch('updateSession', {
      sessionId: paused,
      options: { target: TARGET, intervalSec: 0.1, timeoutSec: 1, dns: false, maxTtl: 10 },
    });
    expect(updated).toMatchObject({ ok: true, value: { state: 'running' } });
    const updatedRounds = await rounds(paused);
    await expect.poll(() => rounds(paused), { timeout: 10_000 }).toBeGreaterThan(updatedRounds + 3);
    expect((await summary(paused)).error).toBeUndefined();
  });

  it('SIGSTOP: the frozen rounds are marked stalled, not counted as loss, and both sessions go on', async () => {
    const { running, paused, before } = await runningAndPaused();
    const [pid] = fakePids();
    process.kill(pid!, 'SIGSTOP');
    try {
      // Longer than the 1 s timeout plus the client's 1 s grace: probes in flight end as helper-stalled.
      await expect.poll(() => markers(running, 'helper-stalled'), { timeout: 10_000 }).not.toEqual([]);
    } finally {
      process.kill(pid!, 'SIGCONT');
    }
    const afterStall = await rounds(running);
    await expect.poll(() => rounds(running), { timeout: 10_000 }).toBeGreaterThan(afterStall + 3);
    await service.dispatch('resumeSession', { sessionId: paused });
    const pausedRounds = await rounds(paused);
    await expect.poll(() => rounds(paused), { timeout: 10_000 }).toBeGreaterThan(pausedRounds + 3);

    await expectKept(running, before.running);
    await expectKept(paused, before.paused);
    const d = await doc(running);
    expect(d.hops.flatMap((h) => h.samples.map((s) => s.result))).toContain('helper-stalled');
    expect(d.hops.map((h) => h.lossPct)).toEqual(d.hops.map(() => 0));
    expect(await markers(running, 'helper-restarted')).toEqual([]);
    expect(fakePids()).toEqual([pid]);
  });

  it('when the supervisor gives up, the sessions fail with its explanation; a new session starts a new helper', async () => {
    await service.dispose();
    service = new TraceService({
      mtrPacketPath: FAKE,
      supervisorOptions: { restartDelaysMs: [50], maxRapidFailures: 1 },
      routeLookup: async () => ({ routable: true, source: null }),
    });
    const { running, paused } = await runningAndPaused();
    const [pid] = fakePids();
    process.kill(pid!, 'SIGKILL');
    await expect.poll(async () => (await summary(running)).state, { timeout: 10_000 }).toBe('failed');
    expect((await summary(running)).error).toMatchObject({
      code: 'mtr-packet-crashed',
      detail: expect.stringMatching(/not restarting it again/),
    });
    // The paused session is told at once, and keeps what it had.
    await expect.poll(async () => (await summary(paused)).state, { timeout: 10_000 }).toBe('failed');
    expect((await summary(paused)).error).toMatchObject({ detail: expect.stringMatching(/not restarting it again/) });
    expect((await doc(paused)).hops.some((h) => h.received > 0)).toBe(true);

    const next = await start();
    await expect.poll(() => rounds(next), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  });

  it('a target that keeps crashing the helper is stopped with an error naming it; the others keep running', async () => {
    await service.dispose();
    process.env.FAKE_MTR_SCENARIO = 'crash-on:192.0.2.66';
    try {
      service = new TraceService({
        mtrPacketPath: FAKE,
        supervisorOptions: { restartDelaysMs: [50] },
        routeLookup: async () => ({ routable: true, source: null }),
      });
      const healthy = await start(0.5);
      await expect.poll(() => rounds(healthy), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      const crasher = await start(0.1, '192.0.2.66');
      await expect.poll(async () => (await summary(crasher)).state, { timeout: 10_000 }).toBe('failed');
      expect((await summary(crasher)).error).toMatchObject({
        code: 'mtr-packet-crashed',
        title: 'mtr-packet keeps crashing on 192.0.2.66',
        detail: expect.stringMatching(/2 times in a row .*simulated crash on 192\.0\.2\.66/),
      });
      const restarts = (await markers(healthy, 'helper-restarted')).length;
      expect(restarts).toBeGreaterThanOrEqual(2);
      const before = await rounds(healthy);
      await expect.poll(() => rounds(healthy), { timeout: 10_000 }).toBeGreaterThan(before + 2);
      expect((await summary(healthy)).state).toBe('running');
      expect(await markers(healthy, 'helper-restarted')).toHaveLength(restarts);
    } finally {
      delete process.env.FAKE_MTR_SCENARIO;
    }
  });
});
