/**
 * The agent view's stored-session calls, answered from the agent's own
 * history file (real DuckDB) through the app's query code: the current
 * session listed under its target's view id, its timeline and statistics
 * readable, deleting refused, and nothing served without `--history`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { traceOptionsSchema } from '@shared/traceOptions';
import { traceDocumentSchema } from '@shared/traceFile';
import type { StoredSessionList, TimelineBucketInfo, WindowStatsInfo } from '@shared/storedSessions';
import { ScriptedMtrPacket, scriptedEngine } from '../../fixtures/scriptedEngine';
import { AgentHistory } from '../../../src/agent/agentHistory';
import { TargetRunner } from '../../../src/agent/targetRunner';
import { AgentViewFeed, teeRecorders, viewSessionId } from '../../../src/agent/viewServer/viewFeed';
import { answerViewCall } from '../../../src/agent/viewServer/viewCalls';
import { waitFor } from './waitFor';

const DESTINATION = '198.18.9.9';
const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-view-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the agent view with --history', () => {
  it('answers the stored-session calls read-only from the agent’s history file', async () => {
    const history = await AgentHistory.open(join(dir, 'view.duckdb'), { log: () => undefined });
    const engine = await scriptedEngine(new ScriptedMtrPacket([{ responders: ['198.18.0.1'], rttMs: 1 }], DESTINATION));
    const options = traceOptionsSchema.parse({ target: DESTINATION, intervalSec: 0.05, dns: false });
    let runner: TargetRunner | null = null;
    const feed = new AgentViewFeed(() =>
      runner?.currentSession ? [{ name: 'edge', session: runner.currentSession }] : [],
    );
    runner = new TargetRunner('edge', options, {
      engine,
      recorder: teeRecorders(history, feed),
      retry: { initialMs: 10, maxMs: 10 },
      log: () => undefined,
    });
    const calls = history.storedSessionCalls();
    try {
      runner.start();
      await waitFor(() => runner!.snapshot().rounds >= 5);

      const listed = await answerViewCall(feed, calls, 'listStoredSessions', undefined);
      expect(listed.ok).toBe(true);
      const list = (listed as { value: StoredSessionList }).value;
      expect(list.history.state).toBe('recording');
      expect(list.sessions).toHaveLength(1);
      const [session] = list.sessions;
      expect(session).toMatchObject({ uid: viewSessionId('edge'), live: true, state: 'running' });

      const to = Date.now() + 1000;
      const timeline = await answerViewCall(feed, calls, 'getTimeline', {
        id: session!.id,
        ttl: 2,
        from: session!.startedAt,
        to,
        buckets: 4,
      });
      const buckets = (timeline as { value: TimelineBucketInfo[] }).value;
      expect(buckets).toHaveLength(4);
      expect(buckets.reduce((n, b) => n + b.received, 0)).toBeGreaterThan(0);
      const stats = await answerViewCall(feed, calls, 'getWindowStats', { id: session!.id });
      expect((stats as { value: WindowStatsInfo }).value.hops.map((h) => h.ttl)).toContain(2);

      // What the agent opens, the app's own document schema takes (the app checks every answer with it).
      const opened = await answerViewCall(feed, calls, 'openStoredSession', { id: session!.id });
      expect(opened.ok && traceDocumentSchema.safeParse(opened.value).success).toBe(true);

      expect(await answerViewCall(feed, calls, 'deleteStoredSession', { id: session!.id })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await answerViewCall(feed, calls, 'getTimelineMarkers', { id: 999, from: 1, to: 2 })).toEqual({
        ok: false,
        error: { code: 'not-found', message: 'no stored session 999' },
      });
      expect(await answerViewCall(feed, null, 'listStoredSessions', undefined)).toMatchObject({
        ok: false,
        error: { code: 'not-found', message: expect.stringContaining('without --history') },
      });
    } finally {
      await runner.stop();
      await engine.close();
      await history.close();
    }
  });
});
