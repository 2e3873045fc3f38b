/**
 * Which statistics a tab shows: the focus the person chose (a brushed or
 * typed window, the last N minutes of a live trace, or the whole session)
 * resolved against what the tab has (a stored session or not, its shown
 * segment) into one request to the history store, or none. Pure: the hook,
 * the focus control, Copy report and Export JSON all resolve through here,
 * so they cannot disagree on the window.
 */
import { LIVE_FOCUS_MINUTES, type FocusWindow } from '@shared/storedSessions';
import type { Segment } from '@shared/traceFile';

/** What the focus control offers besides a custom window. */
export type FocusSpan = { kind: 'live'; minutes: number } | { kind: 'whole' };

/** Minutes the "Live: last N min" entries offer. */
export const LIVE_FOCUS_CHOICES: readonly number[] = [1, 5, 10, 30, 60];

const MINUTE_MS = 60_000;

/** What resolving needs to know of a tab. */
export interface FocusInput {
  mode: 'live' | 'file';
  /** The stored session the tab shows or records (absent: no history for it). */
  storedId?: number;
  /** A brushed or typed window; wins over `span`. */
  focus?: FocusWindow;
  span?: FocusSpan;
  /** The segment the tab shows, when segments are known: statistics never mix two option sets. */
  segment?: Pick<Segment, 'startedAt' | 'endedAt'>;
  /** The live tab's session is still probing (its newest seconds keep changing). */
  running: boolean;
  /** When the newest sample the tab holds was sent: a stopped trace's "last N minutes" end there. */
  lastSampleAt?: number;
}

export interface StatsRequest {
  id: number;
  from?: number;
  to?: number;
}

export interface ResolvedFocus {
  choice: 'live' | 'whole' | 'custom';
  /** For 'live'. */
  minutes?: number;
  /** The window chosen ([from, to)); null for the whole session. */
  window: FocusWindow | null;
  /** What to ask the history store; null keeps the tab's own statistics (no history). */
  request: StatsRequest | null;
  /** Refresh about once a second: the window's newest part is still being recorded. */
  following: boolean;
}

/** The span a tab starts with: live tabs with history follow their last minutes, the rest show everything. */
export function defaultSpan(input: Pick<FocusInput, 'mode' | 'storedId'>): FocusSpan {
  return input.mode === 'live' && input.storedId !== undefined
    ? { kind: 'live', minutes: LIVE_FOCUS_MINUTES }
    : { kind: 'whole' };
}

/** [from, to) cut to the shown segment (open ends stay open). */
function clamp(from: number | undefined, to: number | undefined, segment: FocusInput['segment']) {
  const lo = segment === undefined ? from : Math.max(from ?? segment.startedAt, segment.startedAt);
  const hi = segment?.endedAt === undefined ? to : Math.min(to ?? segment.endedAt, segment.endedAt);
  return { from: lo, to: hi };
}

function request(id: number, from: number | undefined, to: number | undefined): StatsRequest {
  return { id, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

export function resolveFocus(input: FocusInput, now: number): ResolvedFocus {
  const id = input.storedId;
  if (input.focus !== undefined) {
    // Whole milliseconds, as the contract takes them (a brush on a pixel scale gives fractions).
    const window = { from: Math.floor(input.focus.from), to: Math.ceil(input.focus.to) };
    const { from, to } = clamp(window.from, window.to, input.segment);
    const valid = from !== undefined && to !== undefined && to > from;
    return {
      choice: 'custom',
      window,
      // A window outside the shown segment has nothing of it to show: ask for the window as is.
      request: id === undefined ? null : valid ? request(id, from, to) : request(id, window.from, window.to),
      following: id !== undefined && input.running && window.to > now,
    };
  }
  const span = input.span ?? defaultSpan(input);
  if (span.kind === 'live' && input.mode === 'live') {
    // An earlier segment's "last N minutes" end where it ended; a stopped trace's at its last probe.
    const stoppedAt =
      input.segment?.endedAt ??
      (input.running || input.lastSampleAt === undefined ? null : Math.floor(input.lastSampleAt) + 1);
    const to = stoppedAt ?? now;
    const from = to - span.minutes * MINUTE_MS;
    // While running the request stays open-ended, so the newest rounds count as soon as they are stored.
    const cut = clamp(from, stoppedAt ?? undefined, input.segment);
    return {
      choice: 'live',
      minutes: span.minutes,
      window: { from, to },
      request: id === undefined ? null : request(id, cut.from, cut.to),
      following: id !== undefined && input.running && stoppedAt === null,
    };
  }
  const whole = clamp(undefined, undefined, input.segment);
  return {
    choice: 'whole',
    window: null,
    request: id === undefined ? null : request(id, whole.from, whole.to),
    following: id !== undefined && input.running && whole.to === undefined,
  };
}

/** The [from, to) a focused export covers (a live focus ends when it was resolved), or null for the whole session. */
export function exportWindow(focus: ResolvedFocus): FocusWindow | null {
  return focus.choice === 'whole' ? null : focus.window;
}
