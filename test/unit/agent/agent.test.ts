import { afterEach, describe, expect, it } from 'vitest';
import { traceOptionsSchema, type TraceOptionsInput } from '@shared/traceOptions';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import { ScriptedMtrPacket, scriptedEngine } from '../../fixtures/scriptedEngine';
import { Agent } from '../../../src/agent/agent';
import type { AgentConfig } from '../../../src/agent/config';
import type { SessionRecorder } from '../../../src/agent/recorder';
import { waitFor } from './waitFor';

const DESTINATION = '198.18.9.9';
const PATH = [
  { responders: ['198.18.0.1'], rttMs: 1 },
  { responders: ['198.18.0.2'], rttMs: 2 },
];

/** The engine as `hopscope agent` configures it: it keeps every target probing through restarts. */
const agentEngine = (
  mtrPacket: ScriptedMtrPacket,
  scheduler?: { maxInFlight: number; maxInFlightPerSession: number },
) => scriptedEngine(mtrPacket, { stopCrashingTargets: false, ...(scheduler ? { schedulerOptions: scheduler } : {}) });

/** Keeps what the agent hands a recorder, in order. */
class ListRecorder implements SessionRecorder {
  readonly calls: { kind: string; target: string; sessionId: string }[] = [];
  readonly summaries = new Map<string, SessionSummary>();
  sessionStarted(target: string, summary: SessionSummary): void {
    this.calls.push({ kind: 'started', target, sessionId: summary.id });
  }
  record(target: string, batch: SessionEventBatch): void {
    this.calls.push({ kind: 'batch', target, sessionId: batch.sessionId });
    for (const event of batch.events) if (event.type === 'state') this.summaries.set(batch.sessionId, event.summary);
  }
  sessionEnded(target: string, summary: SessionSummary): void {
    this.calls.push({ kind: 'ended', target, sessionId: summary.id });
  }
}

const target = (name: string, options: Partial<TraceOptionsInput> = {}) => ({
  name,
  options: traceOptionsSchema.parse({ target: DESTINATION, intervalSec: 0.05, dns: false, ...options }),
});
const config = (...targets: ReturnType<typeof target>[]): AgentConfig => ({ targets });

describe('Agent.apply', () => {
  let agent: Agent | undefined;
  afterEach(async () => {
    await agent?.stop();
  });

  it('touches only the targets a new config changes, and keeps the statistics of the others', async () => {
    const mtrPacket = new ScriptedMtrPacket(PATH, DESTINATION);
    const recorder = new ListRecorder();
    agent = new Agent({ engine: await agentEngine(mtrPacket), recorder });
    expect(agent.apply(config(target('a'), target('b'), target('c')))).toEqual({
      added: ['a', 'b', 'c'],
      removed: [],
      updated: [],
      replaced: [],
      unchanged: [],
    });
    const sentAt = (name: string, ttl: number) =>
      agent!
        .snapshot()
        .targets.find((t) => t.name === name)
        ?.hops.find((h) => h.ttl === ttl)?.sent ?? 0;
    await waitFor(() => sentAt('a', 1) >= 5 && sentAt('b', 1) >= 5);
    const before = { a: sentAt('a', 1), b: sentAt('b', 1) };

    const result = agent.apply(
      config(target('a'), target('b', { maxTtl: 20 }), target('c', { target: '198.18.9.10' }), target('d')),
    );
    expect(result).toEqual({ added: ['d'], removed: [], updated: ['b'], replaced: ['c'], unchanged: ['a'] });
    expect(sentAt('a', 1)).toBeGreaterThanOrEqual(before.a);
    // An option change restarts the session but keeps what it gathered.
    expect(sentAt('b', 1)).toBeGreaterThanOrEqual(before.b);
    // A new address starts afresh.
    expect(sentAt('c', 1)).toBeLessThanOrEqual(1);

    expect(agent.apply(config(target('a')))).toMatchObject({ removed: ['b', 'c', 'd'], unchanged: ['a'] });
    expect(agent.snapshot().targets.map((t) => t.name)).toEqual(['a']);
    await agent.stop();
    expect(mtrPacket.closed).toBe(true);

    // Every session the recorder saw started, carried batches of its own id, and ended.
    const sessions = new Set(recorder.calls.map((c) => c.sessionId));
    for (const id of sessions) {
      const kinds = recorder.calls.filter((c) => c.sessionId === id).map((c) => c.kind);
      expect(kinds[0]).toBe('started');
      expect(kinds.at(-1)).toBe('ended');
      expect(kinds.filter((k) => k === 'started' || k === 'ended')).toHaveLength(2);
    }
    expect([...sessions].filter((id) => id.startsWith('c#'))).toHaveLength(2);
    agent = undefined;
    mtrPacket.releaseSilent();
  });

  it('marks a helper restart on every running session, which carries on', async () => {
    const mtrPacket = new ScriptedMtrPacket(PATH, DESTINATION);
    const recorder = new ListRecorder();
    agent = new Agent({ engine: await agentEngine(mtrPacket), recorder });
    agent.apply(config(target('a'), target('b')));
    const rounds = (name: string) => agent!.snapshot().targets.find((t) => t.name === name)?.rounds ?? 0;
    await waitFor(() => rounds('a') >= 2 && rounds('b') >= 2);
    mtrPacket.simulateRestart('mtr-packet exited with code 3', [DESTINATION]);
    const at = { a: rounds('a'), b: rounds('b') };
    await waitFor(() => rounds('a') >= at.a + 2 && rounds('b') >= at.b + 2);

    const snapshot = agent.snapshot();
    expect(snapshot.mtrPacketRestarts).toBe(1);
    expect(snapshot.targets.map((t) => [t.name, t.status, t.retries])).toEqual([
      ['a', 'up', 0],
      ['b', 'up', 0],
    ]);
    const started = recorder.calls.filter((c) => c.kind === 'started');
    expect(started).toHaveLength(2);
    for (const { sessionId } of started) {
      const markers = recorder.summaries.get(sessionId)?.markers ?? [];
      expect(markers).toEqual([
        expect.objectContaining({
          kind: 'helper-restarted',
          detail: `mtr-packet exited with code 3 (probing ${DESTINATION})`,
        }),
      ]);
    }
    mtrPacket.releaseSilent();
  });

  it('paces probes through the scheduler: no target has more in flight than its share', async () => {
    const mtrPacket = new ScriptedMtrPacket(
      [{ responders: [] }, { responders: [] }, { responders: [] }, { responders: [] }],
      DESTINATION,
    );
    agent = new Agent({ engine: await agentEngine(mtrPacket, { maxInFlight: 6, maxInFlightPerSession: 4 }) });
    // Silent hops keep every probe in flight: without the scheduler, 3 targets x 4 hops x many rounds would be.
    agent.apply(config(target('a', { maxTtl: 4 }), target('b', { maxTtl: 4 }), target('c', { maxTtl: 4 })));
    await waitFor(() => agent!.snapshot().probesHeldBack > 0);
    expect(mtrPacket.maxInFlight).toBe(6);
    expect(agent.snapshot().probesInFlight).toBe(6);
    await agent.stop();
    agent = undefined;
    mtrPacket.releaseSilent();
  });
});
