/**
 * The trace of a tab with something to show: the focus control, the path
 * graph (or the map) with the timeline under it, and the hop table, sharing
 * the selected hop and the focus window. Its own chunk: the first screen,
 * the empty state, needs none of it (TraceView preloads it once drawn).
 */
import { lazy, Suspense, useCallback, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { TraceTab } from '../store/reducers';
import { useController, useUi } from './context';
import { tabUi } from './uiState';
import { PaneViewSwitch, type PaneView } from './PaneViewSwitch';
import { FocusControl } from '../focus/FocusControl';
import { useFocusedStats, type FocusedStats } from '../focus/useFocusedStats';
import { TimelineSlot } from '../timeline/TimelineSlot';
import { useStoredSessionLink } from '../timeline/useStoredSession';
import { preloadableLazy } from './preloadableLazy';

// Its own chunk: d3-geo and the country shapes load when the map is first shown.
const MapPanel = lazy(() => import('../map/MapPanel'));
// Their own chunks too (d3-zoom, the layout, the table, the verdicts): the first screen, the empty state, has
// none of them. They are fetched once it is drawn (preloadLazyParts), before anyone starts a trace.
const PathGraph = preloadableLazy(() => import('../graph/PathGraph').then((m) => m.PathGraph)).Component;
const HopTable = preloadableLazy(() => import('../table/HopTable').then((m) => m.HopTable)).Component;
const EndToEndLine = preloadableLazy(() => import('./EndToEndLine').then((m) => m.default)).Component;

const SPLIT_KEY = 'hopscope.tableShare';
const MIN_SHARE = 0.12;
const MAX_SHARE = 0.75;

function readShare(): number {
  try {
    const value = Number(localStorage.getItem(SPLIT_KEY));
    return Number.isFinite(value) && value >= MIN_SHARE && value <= MAX_SHARE ? value : 0.36;
  } catch {
    return 0.36;
  }
}

function writeShare(share: number): void {
  try {
    localStorage.setItem(SPLIT_KEY, String(share));
  } catch {
    // Not remembered; the split still works.
  }
}

/** The panes with the focus control above them: both follow the tab's focus. */
export default function FocusedPanes({ tab }: { tab: TraceTab }) {
  // The one place that keeps the tab's stored session current; the focus and the timeline read it.
  useStoredSessionLink(tab);
  const focused = useFocusedStats(tab);
  const stored = useUi((s) => tabUi(s, tab.id).storedId !== undefined);
  return (
    <>
      <FocusControl tabId={tab.id} mode={tab.mode} stored={stored} focused={focused} />
      <TracePanes tab={tab} focused={focused} />
    </>
  );
}

function TracePanes({ tab, focused }: { tab: TraceTab; focused: FocusedStats }) {
  const controller = useController();
  const [share, setShare] = useState(readShare);
  const containerRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  const tabId = tab.id;
  const onSelectTtl = useCallback(
    (ttl: number) => controller.traces.getState().selectTtl(ttl, tabId),
    [controller, tabId],
  );
  const svgRef = useCallback((svg: SVGSVGElement | null) => controller.registerGraph(tabId, svg), [controller, tabId]);
  const [view, setView] = useState<PaneView>('graph');
  const onExportMap = useCallback((png: Blob) => void controller.files.saveMapPng(png), [controller]);

  // The focus window's statistics when the tab has history, its own otherwise.
  const hops = focused.hops;
  const targetAddress = tab.summary?.targetAddress ?? tab.readOnlyDoc?.target.address ?? null;
  const target = tab.summary?.options.target ?? tab.readOnlyDoc?.target.input ?? tab.title;
  const options = tab.summary?.options ?? tab.readOnlyDoc?.options;
  const flow = useMemo(
    () => ({
      protocol: options?.protocol,
      port: options?.port,
      localPort: options?.localPort,
      targetAddress,
    }),
    [options?.protocol, options?.port, options?.localPort, targetAddress],
  );
  const summary = tab.summary;
  const readOnlyDoc = tab.readOnlyDoc;
  const hasSummary = summary !== null || readOnlyDoc !== undefined;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const box = containerRef.current?.getBoundingClientRect();
    if (!dragging.current || !box || box.height === 0) return;
    const next = (box.bottom - event.clientY) / box.height;
    setShare(Math.min(MAX_SHARE, Math.max(MIN_SHARE, next)));
  };
  const onPointerUp = () => {
    if (!dragging.current) return;
    dragging.current = false;
    writeShare(share);
  };
  const onSplitterKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowUp' ? 0.05 : event.key === 'ArrowDown' ? -0.05 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = Math.min(MAX_SHARE, Math.max(MIN_SHARE, share + step));
    setShare(next);
    writeShare(next);
  };

  return (
    <div
      className="hs-trace"
      ref={containerRef}
      style={{ gridTemplateRows: `minmax(180px, 1fr) 7px minmax(90px, ${(share * 100).toFixed(1)}%)` }}
    >
      <section
        className={`hs-graph-pane${hasSummary ? ' has-summary' : ''} is-showing-${view}`}
        aria-label={view === 'graph' ? 'Path graph' : 'Path on a world map'}
      >
        <PaneViewSwitch view={view} onChange={setView} />
        {hasSummary && (
          <Suspense fallback={null}>
            <EndToEndLine summary={summary} readOnlyDoc={readOnlyDoc} hops={hops} />
          </Suspense>
        )}
        <Suspense fallback={null}>
          <PathGraph
            flow={flow}
            key={tab.id}
            hops={hops}
            samples={tab.samples}
            sparklineSamples={focused.sparklineSamples}
            destinationTtl={tab.destinationTtl}
            targetAddress={targetAddress}
            selectedTtl={tab.selectedTtl}
            onSelectTtl={onSelectTtl}
            svgRef={svgRef}
            label={`Path to ${target}`}
          />
        </Suspense>
        {view === 'graph' && <TimelineSlot tab={tab} />}
        {view === 'map' && (
          <Suspense fallback={<p className="hs-map-loading">Loading the map…</p>}>
            <MapPanel hops={hops} onExportPng={onExportMap} getEnrichmentStatus={controller.api.getEnrichmentStatus} />
          </Suspense>
        )}
      </section>
      <div
        className="hs-splitter"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize graph and table"
        aria-valuenow={Math.round(share * 100)}
        aria-valuemin={MIN_SHARE * 100}
        aria-valuemax={MAX_SHARE * 100}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onSplitterKey}
      />
      <section className="hs-table-pane" aria-label="Hop table">
        <Suspense fallback={null}>
          <HopTable
            hops={hops}
            selectedTtl={tab.selectedTtl}
            onSelectTtl={onSelectTtl}
            destinationTtl={tab.destinationTtl}
            caption={`Hops to ${target}`}
            samples={tab.samples}
            protocol={options?.protocol}
          />
        </Suspense>
      </section>
    </div>
  );
}
