/**
 * The focus window in the whole App against a fake api: the table follows
 * the tab's focus (live last N minutes, whole session, a typed window),
 * stale answers are dropped, Copy report and Export JSON carry the window,
 * files keep theirs, and a stored session too large for a tab opens its
 * newest window.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import {
  LIVE_FOCUS_MINUTES,
  type StoredSessionInfo,
  type StoredSessionList,
  type WindowStatsInfo,
} from '@shared/storedSessions';
import type { IpcResult } from '@shared/ipc';
import {
  allByTestId,
  byTestId,
  click,
  fakeApi,
  hopsEvent,
  mountApp,
  ok,
  sampleDocument,
  settle,
  startTrace,
  stateBatch,
  typeInto,
} from './appHarness';
import { recordingSession, summary } from '../fixtures/traceBuilders';
import { localInputValue } from '../../src/renderer/src/focus/customWindow';

type Request = { id: number; from?: number; to?: number };

/** Window statistics whose every hop was probed `sent` times. */
function windowStats(sent: number): WindowStatsInfo {
  const figures = { lastMs: 1, avgMs: 2, bestMs: 1, worstMs: 3, stdevMs: 0.5, p50Ms: 2, p95Ms: 2.9, p99Ms: 3 };
  return {
    hops: [1, 2, 3].map((ttl) => ({
      ttl,
      sent,
      received: sent,
      lossPct: 0,
      ...figures,
      hosts: [{ address: ttl === 3 ? '192.0.2.1' : `10.0.0.${ttl}`, received: sent, jitterMs: 0.1, ...figures }],
    })),
    rounds: sent,
    firstAt: Date.now() - 1000,
    lastAt: Date.now(),
  };
}

/** Whole session: 500 probes per hop; a bounded window: 42; the live window (open end): 120. */
function sentFor(request: Request): number {
  if (request.from === undefined) return 500;
  return request.to === undefined ? 120 : 42;
}

function historyFake(state: 'recording' | 'off' = 'recording') {
  const fake = fakeApi();
  const live = recordingSession(7, 's1', '192.0.2.1');

  fake.handlers.listStoredSessions.mockImplementation(() =>
    ok({ history: { state, path: state === 'off' ? null : '/h.duckdb' }, sessions: state === 'off' ? [] : [live] }),
  );
  fake.handlers.getWindowStats.mockImplementation((request: unknown) => ok(windowStats(sentFor(request as Request))));
  return fake;
}

async function liveTrace(fake = historyFake()) {
  const mounted = await mountApp(fake);
  await startTrace(mounted.container);
  fake.emit('sessionEvents', stateBatch(summary({ id: 's1' }, { target: '192.0.2.1' }), 1, [hopsEvent(0)]));
  await settle();
  await settle();
  return mounted;
}

const snt = (container: HTMLElement) => allByTestId(container, 'hop-row').map((r) => Number(r.dataset['snt']));
const status = (container: HTMLElement) => byTestId(container, 'focus-status')!.textContent;
const headers = (container: HTMLElement) => [...container.querySelectorAll('thead abbr')].map((a) => a.textContent);

async function choose(container: HTMLElement, value: string): Promise<void> {
  const select = byTestId(container, 'focus-select') as HTMLSelectElement;
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

async function typeWindow(container: HTMLElement, from: number, to: number): Promise<void> {
  await choose(container, 'custom-new');
  typeInto(byTestId(container, 'focus-from') as HTMLInputElement, localInputValue(from));
  typeInto(byTestId(container, 'focus-to') as HTMLInputElement, localInputValue(to));
  await act(async () => {
    byTestId(container, 'focus-custom')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await settle();
}

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('focus window', () => {
  it('a live tab with history shows its last minutes, with percentiles; the control switches the window', async () => {
    const { container, fake, unmount } = await liveTrace();
    expect(fake.handlers.getWindowStats).toHaveBeenLastCalledWith({ id: 7, from: expect.any(Number) });
    const [request] = fake.handlers.getWindowStats.mock.lastCall as [Request];
    expect(Date.now() - request.from!).toBeGreaterThanOrEqual(LIVE_FOCUS_MINUTES * 60_000);
    expect(snt(container)).toEqual([120, 120, 120]);
    expect(headers(container)).toEqual(expect.arrayContaining(['p50', 'p95', 'p99']));
    expect(status(container)).toMatch(/^Statistics for the last 10 min, .* \(120 rounds\)$/);

    await choose(container, 'whole');
    expect(snt(container)).toEqual([500, 500, 500]);
    expect(status(container)).toBe('Statistics for the whole session (500 rounds)');

    const to = Math.floor(Date.now() / 1000) * 1000 - 5000;
    await typeWindow(container, to - 20_000, to);
    expect(fake.handlers.getWindowStats).toHaveBeenLastCalledWith({ id: 7, from: to - 20_000, to });
    expect(snt(container)).toEqual([42, 42, 42]);
    const select = byTestId(container, 'focus-select') as HTMLSelectElement;
    expect(select.selectedOptions[0]!.textContent).toMatch(/^Custom: \d\d:\d\d:\d\d–\d\d:\d\d:\d\d$/);

    // Clearing the window goes back to the span chosen before it.
    await click(byTestId(container, 'focus-clear')!);
    await settle();
    expect(snt(container)).toEqual([500, 500, 500]);
    await choose(container, 'live:5');
    expect(snt(container)).toEqual([120, 120, 120]);
    expect(status(container)).toMatch(/^Statistics for the last 5 min/);
    unmount();
  });

  it('a new session in the same tab reads its own stored session, not the last one', async () => {
    const fake = historyFake();
    const { container, unmount } = await liveTrace(fake);
    expect(fake.handlers.getWindowStats).toHaveBeenLastCalledWith(expect.objectContaining({ id: 7 }));
    fake.emit('sessionEvents', stateBatch(summary({ id: 's1', state: 'finished' }, { target: '192.0.2.1' }), 2));
    const listed = (await fake.handlers.listStoredSessions()) as { ok: true; value: StoredSessionList };
    const next = { ...listed.value.sessions[0]!, id: 8, uid: 's2' };
    fake.handlers.listStoredSessions.mockImplementation(() => ok({ ...listed.value, sessions: [next] }));
    await startTrace(container);
    fake.emit('sessionEvents', stateBatch(summary({ id: 's2' }, { target: '192.0.2.1' }), 1, [hopsEvent(0)]));
    await settle();
    await settle();
    expect(fake.handlers.getWindowStats).toHaveBeenLastCalledWith(expect.objectContaining({ id: 8 }));
    unmount();
  });

  it("draws a past window's sparklines from its timeline, one bucket per slot", async () => {
    const fake = historyFake();
    fake.handlers.getTimeline.mockImplementation((request: unknown) => {
      const { from, to, buckets } = request as { from: number; to: number; buckets: number };
      const width = (to - from) / buckets;
      return ok(
        Array.from({ length: buckets }, (_, i) => ({
          from: from + i * width,
          sent: 2,
          received: 2,
          lossPct: 0,
          minMs: 1,
          avgMs: 1 + (i % 5),
          maxMs: 9,
        })),
      );
    });
    const { container, unmount } = await liveTrace(fake);
    const points = () => {
      const d = container.querySelector('[data-testid="hop-node"][data-ttl="1"] [data-testid="sparkline"] path');
      return (d?.getAttribute('d')?.match(/[ML]/g) ?? []).length;
    };
    const live = points();
    const to = Math.floor(Date.now() / 1000) * 1000;
    await typeWindow(container, to - 60_000, to);
    await settle();
    expect(fake.handlers.getTimeline).toHaveBeenCalledWith({ id: 7, ttl: 1, from: to - 60_000, to, buckets: 60 });
    expect(fake.handlers.getTimeline).toHaveBeenCalledTimes(3);
    expect(points()).toBe(60);
    expect(live).toBeLessThan(60);
    unmount();
  });

  it('drops an answer that arrives after a newer request', async () => {
    const fake = historyFake();
    let release!: () => void;
    fake.handlers.getWindowStats.mockImplementationOnce(
      () =>
        new Promise<IpcResult<WindowStatsInfo>>((resolve) => {
          release = () => resolve({ ok: true, value: windowStats(999) });
        }),
    );
    const { container, unmount } = await liveTrace(fake);
    await choose(container, 'whole');
    expect(snt(container)).toEqual([500, 500, 500]);
    await act(async () => release());
    await settle();
    expect(snt(container)).toEqual([500, 500, 500]);
    unmount();
  });

  it("without history keeps the tab's own statistics and says so", async () => {
    const { container, fake, unmount } = await liveTrace(historyFake('off'));
    expect(fake.handlers.getWindowStats).not.toHaveBeenCalled();
    expect(snt(container)).toEqual([10, 10, 10, 10]);
    expect(headers(container)).not.toContain('p50');
    expect(status(container)).toContain('session history is off');
    unmount();
  });

  it('exports the focus window with its samples and focusWindow, and copies its report naming it', async () => {
    const { container, fake, writeClipboard, unmount } = await liveTrace();
    const to = Math.floor(Date.now() / 1000) * 1000;
    await typeWindow(container, to - 30_000, to);
    await click(byTestId(container, 'export-json')!);
    await settle();
    // Main builds the window's document from the store (marked with its focusWindow) and writes it.
    expect(fake.handlers.exportStoredSession).toHaveBeenLastCalledWith({
      id: 7,
      from: to - 30_000,
      to,
      suggestedName: expect.any(String),
    });
    expect(fake.handlers.openStoredSession).not.toHaveBeenCalled();
    expect(fake.handlers.saveTraceJson).not.toHaveBeenCalled();

    await click(byTestId(container, 'copy-report')!);
    // The report writer is its own chunk: the copy waits for it to load.
    await vi.waitFor(() => expect(writeClipboard).toHaveBeenCalled());
    const text = (writeClipboard.mock.lastCall as unknown as [string])[0];
    expect(text.split('\n')[0]).toMatch(/^Statistics for \d\d:\d\d:\d\d–\d\d:\d\d:\d\d \(42 rounds\)$/);
    expect(text).toMatch(/\s42\s/);
    unmount();
  });

  it('opens a file with its focus window shown in the control', async () => {
    const fake = fakeApi();
    const focusWindow = { from: Date.now() - 60_000, to: Date.now() };
    fake.handlers.openTraceFile.mockImplementation(() =>
      ok({
        ok: true as const,
        document: sampleDocument({ version: 2, focusWindow }),
        sourceFormat: 'hopscope',
        fileName: 'window.json',
      }),
    );
    const { container, unmount } = await mountApp(fake);
    await click(byTestId(container, 'open-trace')!);
    await settle();
    const select = byTestId(container, 'focus-select') as HTMLSelectElement;
    expect(select.selectedOptions[0]!.textContent).toMatch(/^Custom: /);
    expect(status(container)).toMatch(/, as saved in the file$/);
    expect(snt(container)).toEqual([3, 3, 3]);
    unmount();
  });

  it('opens a day-long stored session bounded like a live tab, whole; exports its newest part that fits', async () => {
    const fake = historyFake();
    const big: StoredSessionInfo = {
      id: 9,
      uid: 'old',
      target: '192.0.2.1',
      targetAddress: '192.0.2.1',
      startedAt: Date.now() - 86_400_000,
      endedAt: Date.now(),
      lastAt: Date.now(),
      rounds: 86_400,
      samples: 2_592_000,
      approxBytes: 12e6,
      state: 'finished',
      live: false,
    };
    fake.handlers.listStoredSessions.mockImplementation(() =>
      ok({ history: { state: 'recording' as const, path: '/h.duckdb' }, sessions: [big] }),
    );
    const { container, unmount } = await mountApp(fake);
    const details = byTestId(container, 'history-toggle')!.parentElement as HTMLDetailsElement;
    await act(async () => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    await settle();
    await click(byTestId(byTestId(container, 'session-item')!, 'session-open')!);
    await settle();
    // One bounded open, whatever the session's length: no window, no retry.
    expect(fake.handlers.openStoredSession.mock.calls).toEqual([[{ id: 9, samplesPerHop: DEFAULT_SAMPLES_PER_HOP }]]);
    const select = byTestId(container, 'focus-select') as HTMLSelectElement;
    expect(select.value).toBe('whole');
    expect(snt(container)).toEqual([500, 500, 500]);

    // More samples than one file carries: the export is its newest part that fits, and says so.
    await click(byTestId(container, 'export-json')!);
    await settle();
    const [request] = fake.handlers.exportStoredSession.mock.lastCall as [Request];
    expect(request).toEqual({ id: 9, suggestedName: expect.any(String), from: expect.any(Number), to: big.lastAt + 1 });
    expect(request.to! - request.from!).toBeLessThan(big.lastAt - big.startedAt);
    expect(container.textContent).toContain('Saved the last 89 min of this session to /tmp/stored.json');
    unmount();
  });
});
