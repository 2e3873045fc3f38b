/**
 * The timeline in the whole App against a fake api: it says plainly when
 * there is nothing to draw, a live tab finds its stored session in the
 * sessions list, an opened stored session draws from its own id, and the
 * buckets asked for depend on the width, not on the session's length.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { StoredSessionInfo, TimelineBucketInfo } from '@shared/storedSessions';
import { allByTestId, byTestId, click, fakeApi, mountApp, ok, settle, startTrace, stateBatch } from './appHarness';
import { summary } from '../fixtures/traceBuilders';

const T0 = Date.UTC(2026, 10, 29, 2, 50);
const PLOT_BODY_WIDTH = 1000;

function stored(id: number, uid: string, over: Partial<StoredSessionInfo> = {}): StoredSessionInfo {
  return {
    id,
    uid,
    target: '192.0.2.1',
    targetAddress: '192.0.2.1',
    startedAt: T0,
    endedAt: T0 + 24 * 3600_000,
    lastAt: T0 + 24 * 3600_000,
    rounds: 86_400,
    samples: 86_400 * 3,
    approxBytes: 1 << 20,
    state: 'finished',
    live: false,
    ...over,
  };
}

const buckets = (n: number, from: number, to: number): TimelineBucketInfo[] =>
  Array.from({ length: n }, (_, i) => ({
    from: from + (i * (to - from)) / n,
    sent: 1,
    received: 1,
    lossPct: 0,
    minMs: 1,
    avgMs: 2,
    maxMs: 3,
  }));

/** Waits for the lazy chunk, the debounce and the fake store's answers. */
async function drawn(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 80));
    });
    await settle();
  }
}

// happy-dom lays nothing out: give the timeline's body a width, as a window would.
const width = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('hs-tl-body') ? PLOT_BODY_WIDTH : 0;
    },
  });
});
afterAll(() => {
  if (width) Object.defineProperty(HTMLElement.prototype, 'clientWidth', width);
});
afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

describe('timeline', () => {
  it('says so when history is off, and asks the store for nothing', async () => {
    const fake = fakeApi();
    const { container } = await mountApp(fake);
    await startTrace(container);
    fake.emit('sessionEvents', stateBatch(summary({ id: 's1', state: 'running' }), 1));
    await drawn();
    const timeline = byTestId(container, 'timeline')!;
    expect(timeline.dataset['state']).toBe('unavailable');
    expect(timeline.textContent).toContain('session history is off');
    expect(fake.handlers.getTimeline).not.toHaveBeenCalled();
  });

  it('a live tab finds its stored session by its live id and draws the destination from it', async () => {
    const fake = fakeApi();
    fake.handlers.listStoredSessions.mockImplementation(() =>
      ok({
        history: { state: 'recording', path: '/h.duckdb' },
        sessions: [stored(4, 'other'), stored(7, 's1', { live: true, state: 'running' })],
      }),
    );
    fake.handlers.getTimeline.mockImplementation((request: unknown) => {
      const { from, to, buckets: n } = request as { from: number; to: number; buckets: number };
      return ok(buckets(n, from, to));
    });
    const { container } = await mountApp(fake);
    await startTrace(container);
    fake.emit('sessionEvents', stateBatch(summary({ id: 's1', state: 'running', destinationTtl: 3 }), 1));
    await drawn();
    const call = fake.handlers.getTimeline.mock.calls.at(-1)![0] as { id: number; ttl: number; buckets: number };
    expect(call).toMatchObject({ id: 7, ttl: 3 });
    expect(fake.handlers.getTimelineMarkers).toHaveBeenCalledWith(expect.objectContaining({ id: 7 }));
    const series = allByTestId(container, 'timeline-series');
    expect(series.map((s) => s.dataset['ttl'])).toEqual(['3']);
    expect(series[0]!.dataset['buckets']).toBe(String(call.buckets));
    expect(byTestId(container, 'timeline')!.dataset['state']).toBe('ready');
  });

  it('an opened stored session draws from its id: a day in at most one bucket per pixel', async () => {
    const fake = fakeApi();
    fake.handlers.listStoredSessions.mockImplementation(() =>
      ok({ history: { state: 'recording', path: '/h.duckdb' }, sessions: [stored(2, 'gone')] }),
    );
    const { container } = await mountApp(fake);
    const details = byTestId(container, 'history-toggle')!.parentElement as HTMLDetailsElement;
    await act(async () => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    await settle();
    await click(byTestId(byTestId(container, 'session-item')!, 'session-open')!);
    await drawn();
    const calls = fake.handlers.getTimeline.mock.calls.map(
      (c) => c[0] as { id: number; from: number; to: number; buckets: number },
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.id).toBe(2);
      expect(c.buckets).toBeLessThanOrEqual(PLOT_BODY_WIDTH);
    }
    // The tab holds each hop's newest samples, as a live tab does; the timeline spans the day from the store.
    expect(fake.handlers.openStoredSession.mock.calls).toEqual([[{ id: 2, samplesPerHop: DEFAULT_SAMPLES_PER_HOP }]]);
    // The whole session, from its stored start to its last record.
    expect(calls.at(-1)).toMatchObject({ from: T0, to: T0 + 24 * 3600_000 + 1 });
  });
});
