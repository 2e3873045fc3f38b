/**
 * The words of the focus control: its entries, and the line saying which
 * statistics the table and graph show. Pure (the clock and the time zone
 * come in), so every wording is tested.
 */
import type { FocusWindow } from '@shared/storedSessions';
import type { ResolvedFocus } from './focusChoice';

const pad = (n: number) => String(n).padStart(2, '0');

/** 24-hour local time of day, as the focus control and the timeline write it. */
export function clock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function day(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * "02:50:00–03:10:00" in local time; each end gets its date when it is not
 * on the day of `now` (a stored session from last week says which week).
 */
export function windowText({ from, to }: FocusWindow, now: number): string {
  const today = day(new Date(now));
  const end = (ms: number) => {
    const date = new Date(ms);
    return day(date) === today ? clock(date) : `${day(date)} ${clock(date)}`;
  };
  return `${end(from)}–${end(to)}`;
}

const count = new Intl.NumberFormat('en-US');

function roundsText(rounds: number | null): string {
  return rounds === null ? '' : ` (${count.format(rounds)} ${rounds === 1 ? 'round' : 'rounds'})`;
}

/** The select's text of a live span. */
export function liveChoiceText(minutes: number): string {
  return `Live: last ${minutes} min`;
}

/** The select's text of a custom window. */
export function customChoiceText(window: FocusWindow, now: number): string {
  return `Custom: ${windowText(window, now)}`;
}

export interface StatsSource {
  /** The focus the statistics shown belong to. */
  focus: ResolvedFocus;
  /** Rounds the shown statistics cover, when known. */
  rounds: number | null;
  /** The tab's own statistics are shown (no history for this tab). */
  fallback: boolean;
  /** A live tab's session is not recorded (history off); otherwise its recording is not listed yet. */
  unrecorded?: boolean;
  mode: 'live' | 'file';
}

/** The line above the table: which statistics are shown, over how many rounds. */
export function statisticsText({ focus, rounds, fallback, mode, unrecorded }: StatsSource, now: number): string {
  const n = roundsText(rounds);
  if (fallback) {
    if (focus.choice === 'custom' && focus.window !== null) {
      return `Statistics for ${windowText(focus.window, now)}${n}, as saved in the file`;
    }
    if (mode === 'file') return `Statistics as saved in the file${n}: no session history for it`;
    return unrecorded === true
      ? `Statistics for the whole session${n}: session history is off, so no focus window`
      : `Statistics for the whole session${n}: the focus window follows once the first rounds are recorded`;
  }
  if (focus.choice === 'live' && focus.window !== null) {
    return `Statistics for the last ${focus.minutes ?? 0} min, ${windowText(focus.window, now)}${n}`;
  }
  if (focus.choice === 'custom' && focus.window !== null) {
    return `Statistics for ${windowText(focus.window, now)}${n}`;
  }
  return `Statistics for the whole session${n}`;
}
