/**
 * ProbeEngine's restart handling over a scripted mtr-packet: markers name the
 * targets in flight; a target in flight at two restarts in a row is stopped,
 * unless the owner keeps every target probing (the agent); the restart count
 * survives a supervisor that gave up and was replaced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { traceOptionsSchema } from '@shared/traceOptions';
import type { TraceSession } from '../../../src/main/trace/traceSession';
import { ProbeEngine } from '../../../src/main/service/probeEngine';
import { ScriptedMtrPacket, scriptedEngine } from '../../fixtures/scriptedEngine';
import { waitFor } from '../agent/waitFor';

const DESTINATION = '198.18.9.9';
const PATH = [{ responders: ['198.18.0.1'], rttMs: 1 }];
const options = traceOptionsSchema.parse({ target: DESTINATION, intervalSec: 0.05, dns: false });

describe('ProbeEngine restarts', () => {
  let engine: ProbeEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function runningSession(stopCrashingTargets?: boolean): Promise<[ScriptedMtrPacket, TraceSession]> {
    const mtrPacket = new ScriptedMtrPacket(PATH, DESTINATION);
    engine = await scriptedEngine(mtrPacket, stopCrashingTargets === undefined ? {} : { stopCrashingTargets });
    const session = engine.createSession('s', options, undefined, () => {});
    void session.start();
    await waitFor(() => session.summary().rounds >= 2);
    return [mtrPacket, session];
  }
  const restartMarkers = (session: TraceSession) =>
    (session.summary().markers ?? []).filter((m) => m.kind === 'helper-restarted').map((m) => m.detail);

  it('stops a target in flight at two restarts in a row, naming it', async () => {
    const [mtrPacket, session] = await runningSession();
    mtrPacket.simulateRestart('mtr-packet exited with code 3', [DESTINATION]);
    mtrPacket.simulateRestart('mtr-packet exited with code 3', [DESTINATION]);
    expect(session.summary().state).toBe('failed');
    expect(session.summary().error?.detail).toContain(DESTINATION);
    expect(restartMarkers(session)).toEqual(Array(2).fill(`mtr-packet exited with code 3 (probing ${DESTINATION})`));
  });

  it('keeps it probing with stopCrashingTargets off, counting every restart', async () => {
    const [mtrPacket, session] = await runningSession(false);
    for (let i = 0; i < 3; i++) mtrPacket.simulateRestart('mtr-packet exited with code 3', [DESTINATION]);
    const rounds = session.summary().rounds;
    await waitFor(() => session.summary().rounds >= rounds + 2);
    expect(session.summary().state).toBe('running');
    expect(restartMarkers(session)).toHaveLength(3);
    expect(engine!.restartCount).toBe(3);
  });

  it('keeps the restarts of a supervisor that gave up in its count', async () => {
    const helpers = [new ScriptedMtrPacket(PATH, DESTINATION), new ScriptedMtrPacket(PATH, DESTINATION)];
    let made = 0;
    // Each (re)open makes the next scripted mtr-packet, as a new HelperSupervisor would be.
    engine = new ProbeEngine({ helper: () => helpers[made++]! });
    await engine.open();
    const [first, second] = helpers as [ScriptedMtrPacket, ScriptedMtrPacket];
    first.simulateRestart('mtr-packet exited with code 3', []);
    first.simulateRestart('mtr-packet exited with code 3', []);
    first.gaveUpWith = new Error('mtr-packet failed 2 times');
    await engine.open();
    expect(made).toBe(2);
    expect(first.closed).toBe(true);
    second.simulateRestart('mtr-packet exited with code 3', []);
    expect(engine.restartCount).toBe(3);
    expect(engine.mtrPacketVersion).toBe('0.95');
  });
});
