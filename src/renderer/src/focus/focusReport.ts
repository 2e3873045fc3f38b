/**
 * The documents behind Copy report and Export JSON while a focus window is
 * set: the tab's document with the window's statistics, and the window's
 * stored document marked with its `focusWindow`. Pure.
 */
import type { FocusWindow, WindowStatsInfo } from '@shared/storedSessions';
import type { TraceDocument } from '@shared/traceFile';
import type { FocusHop } from './windowHops';

/**
 * The tab's document (target, options, host) with the window's hops in
 * place of its own, for the report writers: its `Start:` is the window's
 * first probe, its rounds the window's.
 */
export function windowReportDocument(
  base: TraceDocument,
  hops: readonly FocusHop[],
  stats: Pick<WindowStatsInfo, 'rounds' | 'firstAt'>,
  window: FocusWindow | null,
): TraceDocument {
  const { segments: _segments, verdicts: _verdicts, ...rest } = base;
  const start = stats.firstAt ?? window?.from;
  return {
    ...rest,
    ...(start === undefined ? {} : { startedAt: new Date(start).toISOString() }),
    rounds: stats.rounds,
    hops: hops.map((hop) => ({
      ...hop,
      hosts: hop.hosts.map(({ p50Ms: _p50, p95Ms: _p95, p99Ms: _p99, ...host }) => host),
      samples: [],
    })),
    ...(window === null ? {} : { focusWindow: window }),
  };
}

/** A stored window's document as Export JSON writes it: it says which window it holds. */
export function focusedExport(doc: TraceDocument, window: FocusWindow): TraceDocument {
  return { ...doc, focusWindow: window };
}
