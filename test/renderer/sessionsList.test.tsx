/** The sessions list in the whole App, against a fake api: listing, opening, deleting, tracing again. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { StoredSessionInfo, StoredSessionList } from '@shared/storedSessions';
import type { TraceDocument } from '@shared/traceFile';
import {
  allByTestId,
  byTestId,
  click,
  fakeApi,
  mountApp,
  ok,
  sampleDocument,
  settle,
  startTrace,
  stateBatch,
} from './appHarness';
import { summary } from '../fixtures/traceBuilders';
import { formatBytes, formatDuration } from '../../src/renderer/src/app/SessionsList';

const T0 = Date.UTC(2026, 10, 29, 2, 50);

function stored(id: number, over: Partial<StoredSessionInfo> = {}): StoredSessionInfo {
  return {
    id,
    uid: `uid-${id}`,
    target: `target${id}.example`,
    targetAddress: `192.0.2.${id}`,
    startedAt: T0 + id * 60_000,
    endedAt: T0 + id * 60_000 + 3_725_000,
    lastAt: T0 + id * 60_000 + 3_725_000,
    rounds: 3725,
    samples: 3725 * 8,
    approxBytes: 400 * 1024,
    state: 'finished',
    live: false,
    ...over,
  };
}

function listing(
  sessions: StoredSessionInfo[],
  history: StoredSessionList['history'] = { state: 'recording', path: '/h.duckdb' },
) {
  return { history, sessions };
}

/** A whole stored session: two segments, the first in UDP. */
function storedDocument(): TraceDocument {
  const doc = sampleDocument({ version: 2, target: { input: 'target2.example', address: '192.0.2.9', ipVersion: 4 } });
  const segment = {
    target: doc.target,
    startedAt: T0,
    rounds: 3,
    destinationTtl: 3,
  };
  return {
    ...doc,
    options: { ...doc.options, protocol: 'tcp', port: 443 },
    segments: [
      { ...segment, index: 0, firstRound: 0, options: { ...doc.options, protocol: 'udp' }, hops: doc.hops },
      { ...segment, index: 1, firstRound: 3, options: { ...doc.options, protocol: 'tcp', port: 443 } },
    ],
  };
}

async function openHistory(container: HTMLElement, open = true): Promise<void> {
  const details = byTestId(container, 'history-toggle')!.parentElement as HTMLDetailsElement;
  await act(async () => {
    details.open = open;
    details.dispatchEvent(new Event('toggle'));
  });
  await settle();
}

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('sessions list', () => {
  it('shows one item per stored session with its target, start, duration and size', async () => {
    const fake = fakeApi();
    fake.handlers.listStoredSessions.mockImplementation(() => ok(listing([stored(2), stored(1, { live: true })])));
    const { container } = await mountApp(fake);
    await openHistory(container);
    const items = allByTestId(container, 'session-item');
    expect(items.map((i) => i.dataset['sessionId'])).toEqual(['2', '1']);
    expect(items[0]!.textContent).toContain('target2.example');
    expect(byTestId(items[0]!, 'session-duration')!.textContent).toBe('1 h 2 min');
    expect(byTestId(items[0]!, 'session-size')!.textContent).toBe('400.0 KB');
    expect(byTestId(items[0]!, 'session-start')!.textContent).toBe(new Date(T0 + 120_000).toLocaleString());
    // The session still recording cannot be deleted from under the recorder.
    expect(items[1]!.textContent).toContain('recording');
    expect((byTestId(items[1]!, 'session-delete') as HTMLButtonElement).disabled).toBe(true);
    expect(byTestId(container, 'sessions-list')).not.toBeNull();
  });

  it('opens a stored session read-only with every segment; trace again starts it live', async () => {
    const fake = fakeApi();
    fake.handlers.listStoredSessions.mockImplementation(() => ok(listing([stored(2)])));
    fake.handlers.openStoredSession.mockImplementation(() => ok(storedDocument()));
    const { container, store } = await mountApp(fake);
    await openHistory(container);
    await click(byTestId(byTestId(container, 'session-item')!, 'session-open')!);
    await settle();
    // Each hop's newest samples, as many as a live tab keeps: the tab does not grow with the session.
    expect(fake.handlers.openStoredSession).toHaveBeenCalledWith({ id: 2, samplesPerHop: DEFAULT_SAMPLES_PER_HOP });
    const tab = store.getState().tabs.find((t) => t.id === store.getState().activeTabId)!;
    expect(tab.mode).toBe('file');
    expect(tab.title).toBe('target2.example');
    expect(Object.keys(tab.earlierSegments)).toEqual(['0']);
    expect(byTestId(container, 'file-panel')!.textContent).toContain('Stored session');

    await click(byTestId(container, 'trace-again')!);
    await settle();
    expect(fake.handlers.startSession).toHaveBeenCalledTimes(1);
    expect(fake.handlers.startSession.mock.calls[0]![0]).toMatchObject({
      target: 'target2.example',
      protocol: 'tcp',
      port: 443,
      // The history records the new run into stored session 2 as a new segment.
      continueStoredId: 2,
    });
  });

  it('exports an opened stored session through main, never from what the tab holds', async () => {
    const fake = fakeApi();
    fake.handlers.listStoredSessions.mockImplementation(() => ok(listing([stored(2)])));
    fake.handlers.openStoredSession.mockImplementation(() => ok(storedDocument()));
    const { container } = await mountApp(fake);
    await openHistory(container);
    await click(byTestId(byTestId(container, 'session-item')!, 'session-open')!);
    await settle();
    await click(byTestId(container, 'export-json')!);
    await vi.waitFor(() => expect(fake.handlers.exportStoredSession).toHaveBeenCalled());
    // The whole session (it fits one file): no window, so main writes every sample it stored.
    expect(fake.handlers.exportStoredSession.mock.calls).toEqual([
      [{ id: 2, suggestedName: expect.stringMatching(/^hopscope-target2\.example-/) }],
    ]);
    expect(fake.handlers.saveTraceJson).not.toHaveBeenCalled();
    await settle();
    expect(container.textContent).toContain('Saved /tmp/stored.json');
  });

  it('reads the list again when a live trace starts or ends while it is open', async () => {
    const fake = fakeApi();
    let sessions: StoredSessionInfo[] = [];
    fake.handlers.listStoredSessions.mockImplementation(() => ok(listing(sessions)));
    const { container } = await mountApp(fake);
    await openHistory(container);
    expect(allByTestId(container, 'session-item')).toHaveLength(0);
    await startTrace(container, '192.0.2.1');
    sessions = [stored(1, { uid: 's1', target: '192.0.2.1' })];
    fake.emit('sessionEvents', stateBatch(summary({ id: 's1', state: 'finished' }, { target: '192.0.2.1' }), 1));
    await settle();
    expect(allByTestId(container, 'session-item').map((i) => i.textContent)).toEqual([
      expect.stringContaining('192.0.2.1'),
    ]);
  });

  it('deletes only after a confirmation, and Keep cancels', async () => {
    const fake = fakeApi();
    let sessions = [stored(2), stored(1)];
    fake.handlers.listStoredSessions.mockImplementation(() => ok(listing(sessions)));
    fake.handlers.deleteStoredSession.mockImplementation((request: unknown) => {
      sessions = sessions.filter((s) => s.id !== (request as { id: number }).id);
      return ok(null);
    });
    const { container } = await mountApp(fake);
    await openHistory(container);
    const first = () => allByTestId(container, 'session-item')[0]!;
    await click(byTestId(first(), 'session-delete')!);
    await click(byTestId(first(), 'session-delete-cancel')!);
    expect(fake.handlers.deleteStoredSession).not.toHaveBeenCalled();
    expect(allByTestId(container, 'session-item')).toHaveLength(2);

    await click(byTestId(first(), 'session-delete')!);
    await click(byTestId(first(), 'session-delete-confirm')!);
    await settle();
    expect(fake.handlers.deleteStoredSession).toHaveBeenCalledWith({ id: 2 });
    expect(allByTestId(container, 'session-item').map((i) => i.dataset['sessionId'])).toEqual(['1']);
  });

  it('a history file that failed to open: one banner, the list says why, tracing untouched', async () => {
    const fake = fakeApi();
    const problem = 'could not open the history file: /h.duckdb: not a Hopscope history file (not a DuckDB database)';
    fake.handlers.listStoredSessions.mockImplementation(() =>
      ok(listing([], { state: 'failed', path: '/h.duckdb', problem })),
    );
    const { container } = await mountApp(fake);
    await openHistory(container);
    const banners = allByTestId(container, 'error-banner');
    expect(banners.filter((b) => b.textContent?.includes('Session history is off'))).toHaveLength(1);
    expect(byTestId(container, 'history-problem')!.textContent).toContain('not a DuckDB database');
    expect(allByTestId(container, 'session-item')).toHaveLength(0);
    // A refresh does not show the same problem again.
    const calls = fake.handlers.listStoredSessions.mock.calls.length;
    await openHistory(container, false);
    await openHistory(container);
    expect(fake.handlers.listStoredSessions.mock.calls.length).toBeGreaterThan(calls);
    expect(allByTestId(container, 'error-banner').filter((b) => b.textContent?.includes('history'))).toHaveLength(1);
    await startTrace(container);
    expect(fake.handlers.startSession).toHaveBeenCalledTimes(1);
  });

  it('formats durations and sizes', () => {
    expect([formatDuration(0), formatDuration(59_400), formatDuration(61_000), formatDuration(7_260_000)]).toEqual([
      '0 s',
      '59 s',
      '1 min 1 s',
      '2 h 1 min',
    ]);
    expect([formatBytes(10), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(['10 B', '2.0 KB', '3.0 MB']);
  });
});
