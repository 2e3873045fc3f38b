/**
 * The buckets and markers of the view, fetched from the store: debounced
 * (a zoom gesture asks once it settles), the newest request winning, and
 * the previous answer kept until the next arrives, so the drawing never
 * blanks while the person pans.
 */
import { useEffect, useRef, useState } from 'react';
import type { HopscopeApi } from '@shared/ipc';
import type { TimelineBucketInfo, TimelineMarkerList } from '@shared/storedSessions';
import type { TimeRange } from './timelineView';

/** Wait this long after the view last changed before asking the store. */
export const FETCH_DEBOUNCE_MS = 120;

export interface TimelineData {
  storedId: number;
  range: TimeRange;
  bucketMs: number;
  /** Buckets per TTL, exactly as the store answered. */
  series: ReadonlyMap<number, readonly TimelineBucketInfo[]>;
  markers: TimelineMarkerList;
  /** How long the store took to answer this view (all series and markers). */
  fetchMs: number;
}

export interface TimelineRequest {
  storedId: number;
  ttls: readonly number[];
  range: TimeRange;
  buckets: number;
}

type Api = Pick<HopscopeApi, 'getTimeline' | 'getTimelineMarkers'>;

async function fetchView(api: Api, request: TimelineRequest): Promise<TimelineData> {
  const { storedId: id, range, buckets } = request;
  const started = performance.now();
  const [series, markers] = await Promise.all([
    Promise.all(request.ttls.map((ttl) => api.getTimeline({ id, ttl, from: range.from, to: range.to, buckets }))),
    api.getTimelineMarkers({ id, from: range.from, to: range.to }),
  ]);
  const byTtl = new Map<number, readonly TimelineBucketInfo[]>();
  for (const [i, result] of series.entries()) {
    if (!result.ok) throw new Error(result.error.message);
    byTtl.set(request.ttls[i]!, result.value);
  }
  if (!markers.ok) throw new Error(markers.error.message);
  return {
    storedId: id,
    range,
    bucketMs: (range.to - range.from) / buckets,
    series: byTtl,
    markers: markers.value,
    fetchMs: performance.now() - started,
  };
}

/** The data for `request` (null: nothing to fetch); a failed fetch keeps the last drawing and says why. */
export function useTimelineData(
  api: Api,
  request: TimelineRequest | null,
): { data: TimelineData | null; error: string | null } {
  const [data, setData] = useState<TimelineData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const key = request && JSON.stringify(request);

  useEffect(() => {
    if (key === null) return;
    const wanted = JSON.parse(key) as TimelineRequest;
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      fetchView(api, wanted).then(
        (answer) => {
          if (ticket !== latest.current) return;
          setData(answer);
          setError(null);
        },
        (err: unknown) => {
          if (ticket === latest.current) setError(err instanceof Error ? err.message : String(err));
        },
      );
    }, FETCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, key]);

  // Another stored session's drawing is not this one's.
  const current = data !== null && data.storedId === request?.storedId ? data : null;
  return { data: current, error: current === null && data !== null ? null : error };
}
