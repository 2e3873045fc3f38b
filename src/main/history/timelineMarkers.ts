/**
 * The vertical marks of a stored session's timeline, read in one SQL query:
 * mtr-packet restarts and stalls and recorded errors (events), options
 * changes (segments after the first) and path changes: the first time a TTL
 * answered from a responder after its first responder. Path changes read the
 * per-minute roll-up (first_at is exact to the millisecond there) and only
 * the samples of the minutes not rolled up yet, so the cost depends on
 * minutes × responders, not on the session's samples.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TimelineMarkerInfo, TimelineMarkerKind, TimelineMarkerList } from '@shared/storedSessions';
import { numberOrNull, text, textOrNull } from './columnValues';
import { rollupHorizonSql } from './minuteRollup';
import { MINUTE_MS } from './minuteStats';

/** Event kinds drawn as restart marks (the agent records these; see agentHistory.ts). */
const RESTART_EVENTS = ['helper-restarted', 'helper-stalled'];
/** Longest detail text a marker carries (a tooltip line, not a log). */
const MAX_DETAIL_CHARS = 200;

function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected a whole number, got ${value}`);
  return String(value);
}

const quoted = (words: string[]) => words.map((w) => `'${w}'`).join(', ');

/** The SQL of every marker of `session` in [from, to), oldest first, at most `limit` rows. */
export function timelineMarkersSql(session: number, from: number, to: number, limit: number): string {
  const s = int(session);
  // Minutes not rolled up yet (the newest, still being written) come from their samples.
  const horizon = rollupHorizonSql(session);
  const inWindow = (column: string) => `${column} >= ${int(Math.ceil(from))} AND ${column} < ${int(Math.ceil(to))}`;
  return `
    SELECT marked_at::DOUBLE AS marked_at, kind, ttl::INTEGER AS ttl, detail FROM (
      SELECT noted_at AS marked_at, CASE WHEN kind = 'error' THEN 'error' ELSE 'restart' END AS kind,
        NULL AS ttl, CASE WHEN kind = 'error' THEN detail ELSE kind END AS detail
      FROM events
      WHERE session = ${s} AND kind IN (${quoted([...RESTART_EVENTS, 'error'])}) AND ${inWindow('noted_at')}
      UNION ALL
      SELECT started_at, 'segment', NULL, reason
      FROM segments WHERE session = ${s} AND segment > 0 AND ${inWindow('started_at')}
      UNION ALL
      SELECT p.first_at, 'path-change', p.ttl, r.address
      FROM (
        SELECT ttl, responder, min(first_at) AS first_at, min(min(first_at)) OVER (PARTITION BY ttl) AS ttl_first_at
        FROM (
          SELECT ttl, responder, first_at FROM minute_stats WHERE session = ${s} AND responder IS NOT NULL
          UNION ALL
          SELECT ttl, responder, min(sent_at) FROM samples
          WHERE session = ${s} AND responder IS NOT NULL AND sent_at >= ${horizon} * ${MINUTE_MS}
          GROUP BY ttl, responder
        )
        GROUP BY ttl, responder
      ) p JOIN responders r ON r.id = p.responder
      WHERE p.first_at > p.ttl_first_at AND ${inWindow('p.first_at')}
    ) ORDER BY marked_at, kind, ttl LIMIT ${int(limit)}`;
}

/** An error event's detail is the UserFacingError as JSON: its title is what a mark shows. */
function errorTitle(detail: string): string {
  try {
    const parsed = JSON.parse(detail) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { title?: unknown }).title === 'string') {
      return (parsed as { title: string }).title;
    }
  } catch {
    // Not JSON: shown as recorded.
  }
  return detail;
}

export async function readTimelineMarkers(
  connection: DuckDBConnection,
  session: number,
  from: number,
  to: number,
  cap: number,
): Promise<TimelineMarkerList> {
  const rows = (await connection.runAndReadAll(timelineMarkersSql(session, from, to, cap + 1))).getRowObjectsJS();
  const markers = rows.slice(0, cap).map((row): TimelineMarkerInfo => {
    const kind = text(row['kind'], 'kind') as TimelineMarkerKind;
    const raw = textOrNull(row['detail'], 'detail');
    const detail = raw === null ? null : kind === 'error' ? errorTitle(raw) : raw;
    return {
      at: Number(row['marked_at']),
      kind,
      ttl: numberOrNull(row['ttl']),
      detail: detail === null ? null : detail.slice(0, MAX_DETAIL_CHARS),
    };
  });
  return { markers, more: rows.length > cap };
}
