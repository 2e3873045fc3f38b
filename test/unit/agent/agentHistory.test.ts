import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { traceOptionsSchema } from '@shared/traceOptions';
import { ScriptedMtrPacket, scriptedEngine } from '../../fixtures/scriptedEngine';
import { AgentHistory } from '../../../src/agent/agentHistory';
import { TargetRunner } from '../../../src/agent/targetRunner';
import { HistoryStore } from '../../../src/main/history';
import { waitFor } from './waitFor';

const DESTINATION = '198.18.9.9';
const DAY_MS = 24 * 60 * 60 * 1000;
const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-history-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A finished session of `daysAgo`, written straight to the store. */
async function seed(path: string, uid: string, daysAgo: number): Promise<void> {
  const store = await HistoryStore.open(path);
  const at = Date.now() - daysAgo * DAY_MS;
  const session = store.beginSession({ uid, startedAt: at, target: DESTINATION, options: {}, mtrPacketVersion: null });
  store.updateSession(session, { lastAt: at, endedAt: at, state: 'stopped', rounds: 1 });
  await store.close();
}

describe('AgentHistory', () => {
  it('drops sessions older than the retention at open, then records a target runner from start to end', async () => {
    const path = join(dir, 'retention.duckdb');
    await seed(path, 'old', 8);
    await seed(path, 'recent', 2);
    const log: string[] = [];
    const history = await AgentHistory.open(path, { keepDays: 7, log: (m) => log.push(m) });
    expect(log).toEqual(['history: removed 1 session(s) older than 7 days']);

    const engine = await scriptedEngine(new ScriptedMtrPacket([{ responders: ['198.18.0.1'], rttMs: 1 }], DESTINATION));
    const options = traceOptionsSchema.parse({ target: DESTINATION, intervalSec: 0.05, dns: false });
    const runner = new TargetRunner('edge', options, {
      engine,
      recorder: history,
      retry: { initialMs: 10, maxMs: 10 },
      log: () => undefined,
    });
    runner.start();
    await waitFor(() => runner.snapshot().rounds >= 5);
    await runner.stop();
    await engine.close();
    const rounds = runner.snapshot().rounds;
    await history.close();

    const store = await HistoryStore.open(path, { readOnly: true });
    const sessions = await store.sessions();
    await store.close();
    expect(sessions.map((s) => s.uid.replace(/#.*/, '#'))).toEqual(['recent', 'edge#']);
    const recorded = sessions[1]!;
    // The end was recorded before the file closed: the session is complete, not cut off.
    expect(recorded.state).toBe('stopped');
    expect(recorded.endedAt).not.toBeNull();
    expect(recorded.rounds).toBeGreaterThanOrEqual(rounds);
    expect(recorded.samples).toBeGreaterThanOrEqual(2 * 5);
    expect(recorded.targetAddress).toBe(DESTINATION);
  });

  it('refuses a retention of 0 days before touching the file', async () => {
    await expect(AgentHistory.open(join(dir, 'never.duckdb'), { keepDays: 0, log: () => undefined })).rejects.toThrow(
      /more than 0 days/,
    );
  });
});
