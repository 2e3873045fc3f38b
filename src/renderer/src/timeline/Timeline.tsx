/**
 * The timeline under the path graph: the destination's latency over the
 * stored session, and the selected and pinned hops' below it, sharing one
 * time axis and one RTT scale. The wheel zooms (a minute to the whole
 * session), dragging the axis pans, dragging across the rows sets the tab's
 * focus window. The store answers per-pixel buckets for each view; a live
 * tab's view follows "now" unless the person panned away.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { scaleTime } from 'd3-scale';
import { MAX_TIMELINE_BUCKETS } from '@shared/storedSessions';
import type { TraceTab } from '../store/reducers';
import { useController, useUi } from '../app/context';
import { patchTabUi, tabUi } from '../app/uiState';
import { useStoredSession, type StoredSessionState } from './useStoredSession';
import { useTimelineData } from './useTimelineData';
import { useTimelineGestures } from './useTimelineGestures';
import { bucketCount, isAtEnd, nextView, sessionExtent, wholeRange, type TimeRange } from './timelineView';
import { placeMarkers, rttDomain } from './timelineShapes';
import { AXIS_HEIGHT, rowGeometry, seriesRows, type SeriesRow } from './timelineRows';
import { layerTransform, RowBackground, TimelineSeries } from './TimelineSeries';
import { TimelineAxis } from './TimelineAxis';
import { TimelineHeader } from './TimelineHeader';
import './Timeline.css';

const LOG_KEY = 'hopscope.timelineLog';
/** The row labels' column (name, address, pin). */
const LABEL_WIDTH = 136;
const NO_TTLS: readonly number[] = [];

function useElementSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

/** The clock a running session's timeline follows, ticking once a second (null: stopped). */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

function readLog(): boolean {
  try {
    return localStorage.getItem(LOG_KEY) === '1';
  } catch {
    return false;
  }
}

/** What to say instead of a chart when there is nothing honest to draw. */
function unavailableText(tab: TraceTab, stored: StoredSessionState): string {
  if (stored.storedId !== undefined) return 'Reading the session history…';
  if (tab.mode !== 'live') {
    return 'No timeline: this trace was opened from a file. Sessions opened from the session history have one.';
  }
  // An agent's session is recorded (or not) by its agent, whatever the app's own history.
  const remote = tab.summary?.remote;
  if (remote?.history === 'off') {
    return 'No timeline: this agent keeps no session history (run it with --history FILE to record one).';
  }
  if (remote) return 'Waiting for this trace to reach the agent’s session history…';
  const history = stored.history;
  if (history === null) return 'Reading the session history…';
  if (history.state === 'off') return 'No timeline: session history is off, so this trace is not recorded.';
  if (history.state === 'failed')
    return `No timeline: session history failed (${history.problem ?? 'unknown problem'}).`;
  return 'Waiting for this trace to reach the session history…';
}

/** The destination's TTL, or the deepest hop while the destination has not answered. */
function lastTtl(tab: TraceTab): number | null {
  if (tab.destinationTtl !== null) return tab.destinationTtl;
  const ttls = Object.keys(tab.hops).map(Number);
  return ttls.length > 0 ? Math.max(...ttls) : null;
}

/**
 * Where a stopped session's timeline ends: the list's newest record, or the
 * tab's own newest sample when the list was read before the recorder's last
 * flush (a live tab that just finished).
 */
function endOf(tab: TraceTab, listedLastAt: number): number {
  let last = listedLastAt;
  if (tab.mode === 'live') {
    for (const samples of Object.values(tab.samples)) {
      const at = samples?.at(-1)?.at;
      if (at !== undefined && at > last) last = at;
    }
  }
  return last + 1;
}

export default function Timeline({ tab }: { tab: TraceTab }) {
  const stored = useStoredSession(tab);
  const now = useNow(stored.running);
  const startedAt = tab.summary?.startedAt ?? stored.info?.startedAt;
  const extent =
    stored.storedId === undefined || startedAt === undefined
      ? null
      : stored.running
        ? sessionExtent(startedAt, now)
        : stored.info
          ? sessionExtent(stored.info.startedAt, endOf(tab, stored.info.lastAt))
          : null;
  if (extent === null || stored.storedId === undefined) {
    return (
      <div className="hs-timeline is-unavailable" data-testid="timeline" data-state="unavailable">
        <p>{unavailableText(tab, stored)}</p>
      </div>
    );
  }
  return <TimelineChart tab={tab} storedId={stored.storedId} extent={extent} running={stored.running} />;
}

interface ChartProps {
  tab: TraceTab;
  storedId: number;
  extent: TimeRange;
  running: boolean;
}

function TimelineChart({ tab, storedId, extent, running }: ChartProps) {
  const controller = useController();
  const pinned = useUi((s) => tabUi(s, tab.id).pinnedTtls) ?? NO_TTLS;
  const focus = useUi((s) => tabUi(s, tab.id).focus);
  const bodyRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<SVGGElement>(null);
  const brushRef = useRef<SVGGElement>(null);
  const size = useElementSize(bodyRef);
  const [log, setLog] = useState(readLog);
  // The person's last view and whether it ended at "now"; null: the whole session.
  const [zoomState, setZoomState] = useState<{ view: TimeRange | null; following: boolean }>({
    view: null,
    following: true,
  });

  const rows = seriesRows(lastTtl(tab), pinned, tab.selectedTtl);
  const width = Math.max(0, size.width - LABEL_WIDTH - 8);
  const geometry = rowGeometry(rows.length, size.height);
  const view = nextView(zoomState.view, zoomState.following, extent);
  const range = wholeRange(view);
  const options = tab.summary?.options ?? tab.readOnlyDoc?.options;
  const buckets = bucketCount(range, width, (options?.intervalSec ?? 1) * 1000, MAX_TIMELINE_BUCKETS);
  const { data, error } = useTimelineData(
    controller.api,
    width > 0 ? { storedId, ttls: rows.map((r) => r.ttl), range, buckets } : null,
  );

  const x = scaleTime().domain([view.from, view.to]).range([0, width]);
  const xAt = (t: number) => x(t);
  // Over every series the store answered for this view (the rows drawn, until a pin change is fetched).
  const domain = useMemo(() => rttDomain(data ? [...data.series.values()] : [], log), [data, log]);
  const markers = data ? placeMarkers(data.markers.markers, xAt, width) : [];

  const onView = (next: TimeRange) => setZoomState({ view: next, following: isAtEnd(next, extent) });
  const setFocus = useCallback(
    (next: TimeRange | null) =>
      patchTabUi(controller.ui, tab.id, {
        focus: next === null ? undefined : { from: Math.floor(next.from), to: Math.ceil(next.to) },
      }),
    [controller, tab.id],
  );
  useTimelineGestures(
    plotRef,
    brushRef,
    { extent, view, width, seriesHeight: geometry.seriesHeight, invert: (px) => x.invert(px).getTime() },
    { onView, onBrush: setFocus },
  );

  const togglePin = (row: SeriesRow) =>
    patchTabUi(controller.ui, tab.id, {
      pinnedTtls: row.role === 'pinned' ? pinned.filter((t) => t !== row.ttl) : [...pinned, row.ttl],
    });
  const onLog = (next: boolean) => {
    setLog(next);
    try {
      localStorage.setItem(LOG_KEY, next ? '1' : '0');
    } catch {
      // Not remembered; the toggle still works.
    }
  };
  const note = error ?? (data?.markers.more ? 'More markers than shown: zoom in to see them all.' : null);
  const svgHeight = geometry.seriesHeight + AXIS_HEIGHT;
  const focusX0 = focus ? Math.max(0, Math.min(width, x(focus.from))) : 0;
  const focusX1 = focus ? Math.max(0, Math.min(width, x(focus.to))) : 0;

  return (
    <div
      className="hs-timeline"
      data-testid="timeline"
      data-state={error ? 'error' : data ? 'ready' : 'loading'}
      data-from={data?.range.from}
      data-to={data?.range.to}
      data-fetch-ms={data?.fetchMs.toFixed(1)}
    >
      <TimelineHeader
        focus={focus}
        running={running}
        log={log}
        onLog={onLog}
        zoomed={zoomState.view !== null && (view.from > extent.from || view.to < extent.to)}
        onZoomOut={() => setZoomState({ view: null, following: true })}
        onClearFocus={() => setFocus(null)}
        note={note}
      />
      <div className="hs-tl-body" ref={bodyRef}>
        <div className="hs-tl-labels" style={{ width: LABEL_WIDTH }}>
          {rows.map((row, i) => (
            <div key={row.ttl} className="hs-tl-label" style={{ height: geometry.rowHeight }}>
              <span className={`hs-tl-swatch hs-tl-colour-${i % 6}`} aria-hidden="true" />
              <span className="hs-tl-label-text" title={tab.hops[row.ttl]?.hosts[0]?.address ?? undefined}>
                {row.role === 'destination' ? 'Destination' : `Hop ${row.ttl}`}
                <small>{tab.hops[row.ttl]?.hosts[0]?.address ?? `TTL ${row.ttl}`}</small>
              </span>
              {row.role !== 'destination' && (
                <button
                  type="button"
                  className="hs-tl-pin"
                  data-testid="timeline-pin"
                  data-ttl={row.ttl}
                  aria-pressed={row.role === 'pinned'}
                  onClick={() => togglePin(row)}
                  title={row.role === 'pinned' ? 'Unpin this hop' : 'Keep this hop on the timeline'}
                >
                  {row.role === 'pinned' ? 'Unpin' : 'Pin'}
                </button>
              )}
            </div>
          ))}
        </div>
        <div className="hs-tl-plotbox" style={{ width, height: svgHeight }}>
          <svg className="hs-tl-svg" width={width} height={svgHeight} role="img" aria-label="Latency over time">
            <g ref={plotRef} className="hs-tl-plot">
              <rect className="hs-tl-bg" width={width} height={svgHeight} />
              {rows.map((row, i) => (
                <RowBackground
                  key={row.ttl}
                  top={geometry.tops[i] ?? 0}
                  width={width}
                  height={geometry.chartHeight}
                  domain={domain}
                  log={log}
                />
              ))}
              {focus && (
                <rect
                  className="hs-tl-focus"
                  data-testid="focus-window"
                  data-from={focus.from}
                  data-to={focus.to}
                  x={focusX0}
                  width={focusX1 - focusX0}
                  height={geometry.seriesHeight}
                />
              )}
              <g ref={brushRef} className="hs-tl-brush" />
              {markers.map((m) => (
                <line
                  key={`${m.x}-${m.kind}`}
                  className={`hs-tl-marker is-${m.kind}`}
                  data-testid="timeline-marker"
                  data-kind={m.kind}
                  x1={m.x}
                  x2={m.x}
                  y2={geometry.seriesHeight}
                >
                  <title>{m.title}</title>
                </line>
              ))}
              <TimelineAxis from={view.from} to={view.to} width={width} top={geometry.seriesHeight} />
            </g>
          </svg>
          {/* The series, over the frame: one layer that zoom and pan move without repainting it. */}
          <div className="hs-tl-layer" style={{ width, height: geometry.seriesHeight }}>
            <div
              className="hs-tl-move"
              style={data ? { transform: layerTransform(data.range, view, width) } : undefined}
            >
              <svg width={width} height={geometry.seriesHeight} aria-hidden="true">
                {rows.map((row, i) => (
                  <TimelineSeries
                    key={row.ttl}
                    ttl={row.ttl}
                    colour={i % 6}
                    top={geometry.tops[i] ?? 0}
                    width={width}
                    height={geometry.chartHeight}
                    buckets={data?.series.get(row.ttl)}
                    bucketMs={data?.bucketMs ?? 1}
                    dataRange={data?.range}
                    domain={domain}
                    log={log}
                  />
                ))}
              </svg>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
