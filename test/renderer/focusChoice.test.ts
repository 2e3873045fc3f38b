/** Resolving a tab's focus into one history request, and the words the focus control shows. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LIVE_FOCUS_MINUTES } from '@shared/storedSessions';
import { exportWindow, resolveFocus, type FocusInput } from '../../src/renderer/src/focus/focusChoice';
import { statisticsText, windowText } from '../../src/renderer/src/focus/focusLabels';
import { parseCustomWindow, localInputValue } from '../../src/renderer/src/focus/customWindow';
import { LatestRequest } from '../../src/renderer/src/focus/latestRequest';

const NOW = new Date(2026, 11, 6, 3, 10, 0).getTime();
const MIN = 60_000;
const live: FocusInput = { mode: 'live', storedId: 7, running: true };

describe('resolveFocus', () => {
  it('follows the last LIVE_FOCUS_MINUTES of a running live tab with history, open-ended', () => {
    const focus = resolveFocus(live, NOW);
    expect(focus).toMatchObject({ choice: 'live', minutes: LIVE_FOCUS_MINUTES, following: true });
    expect(focus.request).toEqual({ id: 7, from: NOW - LIVE_FOCUS_MINUTES * MIN });
  });

  it('ends a stopped trace\'s "last N minutes" at its newest sample, and stops refreshing', () => {
    const last = NOW - 3600_000;
    const focus = resolveFocus(
      { ...live, running: false, lastSampleAt: last, span: { kind: 'live', minutes: 5 } },
      NOW,
    );
    expect(focus.request).toEqual({ id: 7, from: last + 1 - 5 * MIN, to: last + 1 });
    expect(focus.following).toBe(false);
  });

  it("ends an earlier segment's last minutes where that segment ended", () => {
    const segment = { startedAt: NOW - 60 * MIN, endedAt: NOW - 30 * MIN };
    const focus = resolveFocus({ ...live, segment, span: { kind: 'live', minutes: 10 } }, NOW);
    expect(focus.request).toEqual({ id: 7, from: NOW - 40 * MIN, to: NOW - 30 * MIN });
    expect(focus.following).toBe(false);
  });

  it('never reaches before the shown segment began', () => {
    const segment = { startedAt: NOW - 2 * MIN };
    expect(resolveFocus({ ...live, segment }, NOW).request).toEqual({ id: 7, from: NOW - 2 * MIN });
    const whole = resolveFocus({ ...live, segment: { startedAt: 100, endedAt: 500 }, span: { kind: 'whole' } }, NOW);
    expect(whole.request).toEqual({ id: 7, from: 100, to: 500 });
  });

  it('lets a brushed window win over the span; it follows only while its end is ahead', () => {
    const past = { from: NOW - 20 * MIN, to: NOW - 10 * MIN };
    const focus = resolveFocus({ ...live, focus: past, span: { kind: 'whole' } }, NOW);
    expect(focus).toMatchObject({ choice: 'custom', window: past, following: false });
    expect(focus.request).toEqual({ id: 7, ...past });
    expect(resolveFocus({ ...live, focus: { from: NOW - MIN, to: NOW + MIN } }, NOW).following).toBe(true);
  });

  it('asks in whole milliseconds whatever the brush gave', () => {
    const focus = resolveFocus({ ...live, focus: { from: 1000.4, to: 2000.2 } }, NOW);
    expect(focus.request).toEqual({ id: 7, from: 1000, to: 2001 });
    expect(exportWindow(focus)).toEqual({ from: 1000, to: 2001 });
    const stopped = resolveFocus({ ...live, running: false, lastSampleAt: 5000.5 }, NOW);
    expect(stopped.request?.to).toBe(5001);
  });

  it('asks nothing without a stored session: the tab keeps its own statistics', () => {
    expect(resolveFocus({ mode: 'live', running: true }, NOW)).toMatchObject({ choice: 'whole', request: null });
    const file = resolveFocus({ mode: 'file', running: false, focus: { from: 1, to: 2 } }, NOW);
    expect(file).toMatchObject({ choice: 'custom', request: null, window: { from: 1, to: 2 } });
  });

  it('offers no live span for a file tab: it shows the whole session', () => {
    const focus = resolveFocus({ mode: 'file', storedId: 3, running: false, span: { kind: 'live', minutes: 5 } }, NOW);
    expect(focus).toMatchObject({ choice: 'whole', request: { id: 3 } });
  });

  it('exports the window of a live or custom focus and nothing for the whole session', () => {
    expect(exportWindow(resolveFocus(live, NOW))).toEqual({ from: NOW - LIVE_FOCUS_MINUTES * MIN, to: NOW });
    expect(exportWindow(resolveFocus({ ...live, span: { kind: 'whole' } }, NOW))).toBeNull();
  });

  it('always asks for a window the contract accepts (to after from) or leaves an end open', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.option(fc.record({ startedAt: fc.integer({ min: 0, max: 1e12 }) }), { nil: undefined }),
        fc.constantFrom(1, 5, 10, 30, 60),
        (from, length, segment, minutes) => {
          const inputs: FocusInput[] = [
            { ...live, segment, focus: { from, to: from + length } },
            { ...live, segment, span: { kind: 'live', minutes } },
          ];
          for (const input of inputs) {
            const r = resolveFocus(input, from + length)?.request;
            if (r?.from !== undefined && r.to !== undefined) expect(r.to).toBeGreaterThan(r.from);
          }
        },
      ),
    );
  });
});

describe('focus labels', () => {
  it('names a window by its local times, with dates only off today', () => {
    const window = { from: new Date(2026, 11, 6, 2, 50).getTime(), to: new Date(2026, 11, 6, 3, 10).getTime() };
    expect(windowText(window, NOW)).toBe('02:50:00–03:10:00');
    expect(windowText(window, NOW + 24 * 3600_000)).toBe('2026-12-06 02:50:00–2026-12-06 03:10:00');
  });

  it('says which statistics are shown and over how many rounds', () => {
    const window = { from: new Date(2026, 11, 6, 2, 50).getTime(), to: new Date(2026, 11, 6, 3, 10).getTime() };
    const custom = resolveFocus({ ...live, focus: window }, NOW);
    expect(statisticsText({ focus: custom, rounds: 1200, fallback: false, mode: 'live' }, NOW)).toBe(
      'Statistics for 02:50:00–03:10:00 (1,200 rounds)',
    );
    const last = resolveFocus({ ...live, span: { kind: 'live', minutes: 5 } }, NOW);
    expect(statisticsText({ focus: last, rounds: 1, fallback: false, mode: 'live' }, NOW)).toBe(
      'Statistics for the last 5 min, 03:05:00–03:10:00 (1 round)',
    );
    const off = resolveFocus({ mode: 'live', running: true }, NOW);
    expect(statisticsText({ focus: off, rounds: 3, fallback: true, mode: 'live' }, NOW)).toBe(
      'Statistics for the whole session (3 rounds): the focus window follows once the first rounds are recorded',
    );
    expect(statisticsText({ focus: off, rounds: 3, fallback: true, unrecorded: true, mode: 'live' }, NOW)).toBe(
      'Statistics for the whole session (3 rounds): session history is off, so no focus window',
    );
    const file = resolveFocus({ mode: 'file', running: false }, NOW);
    expect(statisticsText({ focus: file, rounds: null, fallback: true, mode: 'file' }, NOW)).toBe(
      'Statistics as saved in the file: no session history for it',
    );
  });
});

describe('typed custom windows', () => {
  it('reads two local times back as the window they name', () => {
    const from = new Date(2026, 11, 6, 2, 50, 5).getTime();
    const parsed = parseCustomWindow(localInputValue(from), localInputValue(from + 20 * MIN));
    expect(parsed).toEqual({ ok: true, window: { from, to: from + 20 * MIN } });
  });

  it('names the field that is wrong', () => {
    expect(parseCustomWindow('', '2026-12-06T03:00')).toEqual({ ok: false, error: 'From: enter a date and time' });
    expect(parseCustomWindow('2026-12-06T03:00', 'soon')).toEqual({ ok: false, error: 'To: enter a date and time' });
    expect(parseCustomWindow('2026-12-06T03:00', '2026-12-06T02:00')).toEqual({
      ok: false,
      error: 'To: must be after From',
    });
  });
});

describe('LatestRequest', () => {
  it('keeps only the newest answer, whatever order answers come back in', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.infiniteStream(fc.boolean()), (n, coin) => {
        const sequence = new LatestRequest();
        const tickets = Array.from({ length: n }, () => sequence.begin());
        const order = [...tickets].sort(() => (coin.next().value ? 1 : -1));
        const applied = order.filter((t) => sequence.isLatest(t));
        expect(applied).toEqual([tickets[n - 1]]);
      }),
    );
  });

  it('drops every answer once cancelled', () => {
    const sequence = new LatestRequest();
    const ticket = sequence.begin();
    sequence.cancel();
    expect(sequence.isLatest(ticket)).toBe(false);
  });
});
