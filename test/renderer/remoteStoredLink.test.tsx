/**
 * An agent's live session links to its stored session (recorded by the
 * agent) even when the app's own history is off: the app's "off" is about
 * the app's file, so the remote tab keeps asking the sessions list until the
 * agent lists its recording, and its focus then reads the window from it. An
 * agent that keeps no history is not asked again until it reconnects.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { act } from 'react';
import type { StoredSessionList } from '@shared/storedSessions';
import { recordingSession, summary } from '../fixtures/traceBuilders';
import { byTestId, fakeApi, mountApp, ok, settle, stateBatch } from './appHarness';

const REMOTE_STORED_ID = 2 ** 31;
const remote = summary(
  {
    id: 'agent-1-1',
    state: 'running',
    destinationTtl: 3,
    remote: { agentId: 'agent-1', address: '127.0.0.1:9465', connection: 'connected', retryAt: null },
  },
  { target: '192.0.2.9' },
);
const recorded = recordingSession(REMOTE_STORED_ID, 'agent-1-1', '192.0.2.9');

afterEach(() => {
  document.body.innerHTML = '';
  vi.useRealTimers();
});

it(
  "links a remote tab to the agent's stored session while the app's own history is off",
  { timeout: 20_000 },
  async () => {
    const fake = fakeApi();
    // The agent lists its recording from the second read on (it flushes within a second of the first rounds).
    let reads = 0;
    fake.handlers.listStoredSessions.mockImplementation(() =>
      ok<StoredSessionList>({
        history: { state: 'off', path: null },
        sessions: reads++ === 0 ? [] : [recorded],
      }),
    );
    fake.handlers.listSessions.mockImplementation(() => ok([remote]));
    fake.handlers.attachSession.mockImplementation(() => ok(remote));
    fake.handlers.getWindowStats.mockImplementation(() =>
      ok({ hops: [], rounds: 60, firstAt: recorded.startedAt, lastAt: recorded.lastAt }),
    );
    vi.useFakeTimers({ toFake: ['setInterval', 'setTimeout'] });
    const { container, store, unmount } = await mountApp(fake);
    await settle();
    expect(store.getState().tabs.map((t) => t.sessionId)).toEqual(['agent-1-1']);
    expect(fake.handlers.listStoredSessions).toHaveBeenCalled();
    // Not "session history is off": that is the app's file, not the agent's.
    expect(byTestId(container, 'focus-status')?.textContent).not.toContain('session history is off');

    for (let i = 0; i < 3 && fake.handlers.getWindowStats.mock.calls.length === 0; i++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1600);
      });
      await settle();
    }
    expect(fake.handlers.getWindowStats).toHaveBeenCalledWith(expect.objectContaining({ id: REMOTE_STORED_ID }));
    expect(byTestId(container, 'focus-status')?.textContent).toMatch(
      /^Statistics for the last 10 min, .*\(60 rounds\)$/,
    );
    unmount();
  },
);

it('stops asking for the sessions list once the agent said it keeps no history, and asks again after a reconnect', async () => {
  const fake = fakeApi();
  const noHistory = { ...remote, remote: { ...remote.remote!, history: 'off' as const } };
  fake.handlers.listStoredSessions.mockImplementation(() =>
    ok<StoredSessionList>({ history: { state: 'recording', path: '/app.duckdb' }, sessions: [] }),
  );
  fake.handlers.listSessions.mockImplementation(() => ok([noHistory]));
  fake.handlers.attachSession.mockImplementation(() => ok(noHistory));
  await import('../../src/renderer/src/timeline/Timeline');
  vi.useFakeTimers({ toFake: ['setInterval', 'setTimeout'] });
  const { container, unmount } = await mountApp(fake);
  await settle();
  const asked = () => fake.handlers.listStoredSessions.mock.calls.length;
  const waitRounds = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1600);
      });
      await settle();
    }
  };
  // The timeline is a lazy chunk, loaded above: React shows it once its import settled and a (faked) timer ran.
  for (let i = 0; i < 400 && !byTestId(container, 'timeline'); i++) {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
  }
  const before = asked();
  await waitRounds(10);
  expect(asked()).toBe(before);
  expect(byTestId(container, 'timeline')?.textContent).toContain('this agent keeps no session history');
  expect(byTestId(container, 'focus-status')?.textContent).toContain('session history is off');

  // Reconnected: the agent may keep one now, so the tab asks again until it knows.
  await fake.emit('sessionEvents', stateBatch(remote, 1));
  await waitRounds(3);
  expect(asked()).toBeGreaterThan(before + 1);
  unmount();
});
