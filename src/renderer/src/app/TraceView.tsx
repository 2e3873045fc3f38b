/**
 * The active tab's trace: the path graph above, the hop table below, sharing
 * the selected hop. A tab with nothing to show gets the empty state.
 */
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { hopList, selectActiveTab } from '../store/selectors';
import type { TraceTab } from '../store/reducers';
import { BannerView } from './Banners';
import { useController, useTraces } from './context';
import { PaneViewSwitch, type PaneView } from './PaneViewSwitch';
import { preloadableLazy, preloadLazyParts } from './preloadableLazy';
import './TraceView.css';

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

export interface EmptyStateProps {
  onOpen: () => void;
  shortcuts: { startStop: string; open: string; newTab: string; exportJson: string; exportPng: string };
}

function EmptyState({ onOpen, shortcuts }: EmptyStateProps) {
  return (
    <div className="hs-empty" data-testid="empty-state">
      <svg className="hs-empty-art" width="168" height="44" viewBox="0 0 168 44" aria-hidden="true">
        <path d="M14 22 H154" className="hs-empty-line" />
        {[14, 50, 86, 122, 154].map((x, i) => (
          <circle key={x} cx={x} cy={22} r={i === 4 ? 9 : 6} className={i === 4 ? 'hs-empty-dest' : 'hs-empty-hop'} />
        ))}
      </svg>
      <h2>Trace a network path</h2>
      <p className="hs-empty-lead">
        Enter a host name or address and press <strong>Start</strong>: every hop is found in one round, then measured
        continuously for loss and latency.
      </p>
      <p className="hs-empty-secondary">
        <button type="button" className="hs-button" onClick={onOpen}>
          Open a saved trace…
        </button>
        <span>or drop a Hopscope or mtr --json file anywhere in the window.</span>
      </p>
      <dl className="hs-shortcut-list" aria-label="Keyboard shortcuts">
        {(
          [
            [shortcuts.startStop, 'start / stop'],
            [shortcuts.newTab, 'new tab'],
            [shortcuts.open, 'open'],
            [shortcuts.exportJson, 'export JSON'],
            [shortcuts.exportPng, 'export PNG'],
          ] as const
        ).map(([key, what]) => (
          <div key={what}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function TracePanes({ tab }: { tab: TraceTab }) {
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

  const hops = hopList(tab);
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
            destinationTtl={tab.destinationTtl}
            targetAddress={targetAddress}
            selectedTtl={tab.selectedTtl}
            onSelectTtl={onSelectTtl}
            svgRef={svgRef}
            label={`Path to ${target}`}
          />
        </Suspense>
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

export function TraceView({ shortcuts }: { shortcuts: EmptyStateProps['shortcuts'] }) {
  const controller = useController();
  const tab = useTraces(selectActiveTab);
  useEffect(() => {
    // After the first screen is drawn, when the browser is idle.
    const idle =
      typeof requestIdleCallback === 'function' ? requestIdleCallback : (run: () => void) => setTimeout(run, 0);
    idle(() => void preloadLazyParts().catch(() => undefined)); // a failure shows when a part renders
  }, []);
  if (tab === null) return null;
  const error = tab.error;
  return (
    <div className="hs-tabpanel" id="hs-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab.id}`}>
      {error !== null && (
        <div className="hs-banners">
          <BannerView
            tone="error"
            title={error.title}
            detail={error.detail}
            fix={error.fix}
            onDismiss={() => controller.traces.getState().setTabError(tab.id, null)}
          />
        </div>
      )}
      {tab.mode === 'live' && tab.summary === null ? (
        <EmptyState onOpen={() => void controller.files.openFile()} shortcuts={shortcuts} />
      ) : (
        <TracePanes tab={tab} />
      )}
    </div>
  );
}
