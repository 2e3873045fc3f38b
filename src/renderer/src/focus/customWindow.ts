/**
 * A focus window typed as two local times (the focus control's keyboard
 * alternative to brushing the timeline). Pure.
 */
import type { FocusWindow } from '@shared/storedSessions';

const pad = (n: number) => String(n).padStart(2, '0');

/** `ms` as a datetime-local input's value, to the second, in local time. */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

function parseLocal(text: string): number | null {
  if (!LOCAL_TIME.test(text)) return null;
  // Without an offset, ECMAScript reads a date-time as local time.
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? ms : null;
}

export type CustomWindowResult = { ok: true; window: FocusWindow } | { ok: false; error: string };

export function parseCustomWindow(fromText: string, toText: string): CustomWindowResult {
  const from = parseLocal(fromText.trim());
  if (from === null) return { ok: false, error: 'From: enter a date and time' };
  const to = parseLocal(toText.trim());
  if (to === null) return { ok: false, error: 'To: enter a date and time' };
  if (to <= from) return { ok: false, error: 'To: must be after From' };
  return { ok: true, window: { from, to } };
}
