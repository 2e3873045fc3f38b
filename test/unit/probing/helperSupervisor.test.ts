/**
 * The supervisor against the scripted fake mtr-packet (test/fixtures/fake-mtr-packet.mjs), killed
 * for real with signals. No packets are sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ExecutableNotFoundError, ProcessError, StateError } from '../../../src/main/mtr';
import {
  HelperSupervisor,
  type HelperRestart,
  type HelperSupervisorOptions,
} from '../../../src/main/probing/helperSupervisor';

const FAKE = fileURLToPath(new URL('../../fixtures/fake-mtr-packet.mjs', import.meta.url));
const supervisors: HelperSupervisor[] = [];

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.close()));
});

function supervised(scenario: string, options: Omit<HelperSupervisorOptions, 'client'> = {}) {
  const logs: string[] = [];
  const restarts: HelperRestart[] = [];
  const supervisor = new HelperSupervisor({
    restartDelaysMs: [20],
    ...options,
    client: { path: FAKE, env: { ...process.env, FAKE_MTR_SCENARIO: scenario }, log: (m) => logs.push(m) },
  });
  supervisor.onRestart((r) => restarts.push(r));
  supervisors.push(supervisor);
  return { supervisor, logs, restarts };
}

const waitFor = async (what: () => boolean) => {
  while (!what()) await new Promise((r) => setTimeout(r, 10));
};

describe('HelperSupervisor (fake mtr-packet)', () => {
  it('kill -9 mid-flight: probes in flight resolve helper-restarted, later probes succeed on a new process', async () => {
    const { supervisor, restarts } = supervised('normal');
    await supervisor.open();
    const firstPid = supervisor.client?.pid;
    expect(firstPid).toBeGreaterThan(0);
    // TTL 2 is the fake's silent hop: these stay in flight for their 5 s timeout.
    const inFlight = [
      supervisor.probe('198.18.0.9', { ttl: 2, timeoutSec: 5 }),
      supervisor.probe('198.18.0.10', { ttl: 2, timeoutSec: 5 }),
    ];
    await new Promise((r) => setTimeout(r, 50));
    process.kill(firstPid as number, 'SIGKILL');
    const results = await Promise.all(inFlight);
    for (const r of results) {
      expect(r).toEqual({ success: false, result: 'helper-restarted', timeMs: null, responder: null, mpls: [] });
    }
    // Asked for while the new process is starting: waits for it.
    const later = await supervisor.probe('198.18.0.9', { ttl: 1, timeoutSec: 5 });
    expect(later).toMatchObject({ success: true, result: 'ttl-expired', responder: '192.0.2.1' });
    expect(supervisor.client?.pid).not.toBe(firstPid);
    expect(supervisor.restartCount).toBe(1);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]?.inFlightAddresses.sort()).toEqual(['198.18.0.10', '198.18.0.9']);
    expect(restarts[0]?.reason).toContain('SIGKILL');
    expect(restarts[0]?.error.signal).toBe('SIGKILL');
  });

  it('restarts after a crash with nothing in flight too', async () => {
    const { supervisor, restarts } = supervised('normal');
    await supervisor.open();
    const pid = supervisor.client?.pid as number;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => restarts.length === 1);
    expect(restarts[0]?.inFlightAddresses).toEqual([]);
    expect((await supervisor.probe('198.18.0.9', { timeoutSec: 5 })).result).toBe('reply');
    expect(supervisor.client?.pid).not.toBe(pid);
  });

  it('backs off when the helper keeps dying right after each restart', async () => {
    // Each death inside the window moves one step along the delays: the second restart waits the 1.5 s
    // step, where an immediate death used to be restarted after the first step (20 ms) every time.
    const { supervisor, restarts } = supervised('normal', { restartDelaysMs: [20, 1500], rapidWindowMs: 60_000 });
    await supervisor.open();
    process.kill(supervisor.client?.pid as number, 'SIGKILL');
    await waitFor(() => supervisor.restartCount === 1);
    const diedAgainAt = Date.now();
    process.kill(supervisor.client?.pid as number, 'SIGKILL');
    await waitFor(() => supervisor.restartCount === 2);
    expect(restarts).toHaveLength(2);
    expect(Date.now() - diedAgainAt).toBeGreaterThanOrEqual(1500);
  });

  it('gives up with a clear error after several rapid failures', async () => {
    // crash-after:0 dies on every probe.
    const { supervisor, restarts } = supervised('crash-after:0', { maxRapidFailures: 3, rapidWindowMs: 60_000 });
    await supervisor.open();
    const results: string[] = [];
    let error: unknown = null;
    for (let i = 0; i < 10 && error === null; i++) {
      try {
        results.push((await supervisor.probe('198.18.0.9', { timeoutSec: 5 })).result);
      } catch (err) {
        error = err;
      }
    }
    expect(results).toEqual(['helper-restarted', 'helper-restarted', 'helper-restarted']);
    expect(restarts).toHaveLength(3);
    expect(error).toBeInstanceOf(ProcessError);
    expect((error as Error).message).toMatch(/failed 3 times within 60 s; not restarting it again/);
    expect((error as Error).message).toContain('exit code 3');
    await expect(supervisor.probe('198.18.0.9')).rejects.toBe(error);
  });

  it('a fatal problem at the first open surfaces as the client reports it', async () => {
    const supervisor = new HelperSupervisor({ client: { path: '/nonexistent/hopscope-test/mtr-packet' } });
    supervisors.push(supervisor);
    const err = await supervisor.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutableNotFoundError);
    await expect(supervisor.probe('198.18.0.9')).rejects.toBe(err);
  });

  it('a helper that exits during start-up at the first open is not restarted', async () => {
    const { supervisor, restarts } = supervised('exit:4');
    const err = (await supervisor.open().catch((e: unknown) => e)) as ProcessError;
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.phase).toBe('start-up');
    expect(restarts).toHaveLength(0);
  });

  it('close() while restarting rejects the waiting probes with StateError', async () => {
    const { supervisor, restarts } = supervised('normal', { restartDelaysMs: [500] });
    await supervisor.open();
    process.kill(supervisor.client?.pid as number, 'SIGKILL');
    await waitFor(() => restarts.length === 1);
    const waiting = supervisor.probe('198.18.0.9', { timeoutSec: 5 });
    await supervisor.close();
    await expect(waiting).rejects.toBeInstanceOf(StateError);
    await expect(supervisor.probe('198.18.0.9')).rejects.toBeInstanceOf(StateError);
  });
});
