/**
 * `hopscope report` arguments: times and the session to report. Pure, so the
 * rules (ISO 8601 or Unix seconds; --from included, --to excluded) are tested
 * without a file.
 */
import { UsageError } from './options';

const UNIX_SECONDS = /^\d+(\.\d+)?$/;
// A calendar date, optionally with a time and an offset: the ISO 8601 forms Date.parse reads the same everywhere.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Milliseconds since the Unix epoch for `--from`/`--to`, or a UsageError naming the flag. */
export function parseReportTime(flag: string, raw: string): number {
  const text = raw.trim();
  if (UNIX_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (ISO_8601.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(
    `${flag} must be an ISO 8601 time (2026-11-29T14:05:00Z) or Unix seconds (1795313952), got ${JSON.stringify(raw)}`,
  );
}

export interface ReportWindow {
  from?: number;
  to?: number;
}

export function parseReportWindow(flags: { from?: string; to?: string }): ReportWindow {
  const window: ReportWindow = {};
  if (flags.from !== undefined) window.from = parseReportTime('--from', flags.from);
  if (flags.to !== undefined) window.to = parseReportTime('--to', flags.to);
  if (window.from !== undefined && window.to !== undefined && window.from >= window.to) {
    throw new UsageError('--from must be before --to');
  }
  return window;
}

/** Picks a session by its number in the file or its recorded id; the newest when none is asked for. */
export function pickSession<T extends { session: number; uid: string }>(sessions: T[], wanted?: string): T | undefined {
  if (wanted === undefined) return sessions[sessions.length - 1];
  return sessions.find((s) => String(s.session) === wanted.trim()) ?? sessions.find((s) => s.uid === wanted);
}
