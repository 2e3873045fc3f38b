import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summary } from '../fixtures/traceBuilders';
import { allByTestId, fakeApi, mountApp, ok, stateBatch } from './appHarness';

beforeEach(() => localStorage.clear());
afterEach(() => {
  document.body.innerHTML = '';
});

describe('re-attach on load', () => {
  it('re-attaches to sessions still running in the engine, with their history, and follows them', async () => {
    const fake = fakeApi();
    const running = summary({ id: 'left-behind', state: 'running', destinationTtl: 3 }, { target: 'saved.example' });
    const finished = summary({ id: 'done', state: 'finished' });
    fake.handlers.listSessions.mockImplementation(() => ok([running, finished]));
    fake.handlers.attachSession.mockImplementation(() => ok(running));
    // The remembered options fill the start-up tab's form; that alone does not make it worth keeping.
    fake.handlers.getLastTraceOptions.mockImplementation(() => ok(running.options));
    const { container, store, unmount } = await mountApp(fake);
    expect(fake.handlers.attachSession).toHaveBeenCalledTimes(1);
    expect(fake.handlers.attachSession).toHaveBeenCalledWith({ sessionId: 'left-behind' });
    // One tab for the running session, instead of the empty one opened at start-up.
    const tabs = store.getState().tabs;
    expect(tabs.map((t) => t.sessionId)).toEqual(['left-behind']);
    expect(store.getState().activeTabId).toBe(tabs[0]!.id);
    // The history the engine held: every hop with its samples, at once.
    const rows = allByTestId(container, 'hop-row');
    expect(rows.map((r) => [r.getAttribute('data-ttl'), r.getAttribute('data-snt')])).toEqual([
      ['1', '3'],
      ['2', '3'],
      ['3', '3'],
    ]);
    expect(store.getState().tabs[0]!.samples[1]).toHaveLength(3);
    // Live batches continue from the snapshot without counting the time away as missed updates.
    fake.emit('sessionEvents', stateBatch(running, 517));
    fake.emit('sessionEvents', stateBatch(running, 518));
    expect(store.getState().tabs[0]!.missedBatches).toBe(0);
    fake.emit('sessionEvents', stateBatch(running, 520));
    expect(store.getState().tabs[0]!.missedBatches).toBe(1);
    unmount();
  });
});
