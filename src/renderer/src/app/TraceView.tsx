/**
 * The active tab's trace: the path graph above, the hop table below, sharing
 * the selected hop. A tab with nothing to show gets the empty state.
 */
import { Suspense, useEffect } from 'react';
import { selectActiveTab } from '../store/selectors';
import { BannerView } from './Banners';
import { useController, useTraces } from './context';
import { preloadableLazy, preloadLazyParts } from './preloadableLazy';
import './TraceView.css';

// The panes (focus, graph, timeline, table) are their own chunk, fetched once the empty state is drawn.
const FocusedPanes = preloadableLazy(() => import('./TracePanes').then((m) => m.default)).Component;

export interface EmptyStateProps {
  onOpen: () => void;
  shortcuts: {
    startStop: string;
    open: string;
    newTab: string;
    exportJson: string;
    exportSession: string;
    exportPng: string;
  };
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
        <span>or drop a Hopscope trace or session file, or an mtr --json report, anywhere in the window.</span>
      </p>
      <dl className="hs-shortcut-list" aria-label="Keyboard shortcuts">
        {(
          [
            [shortcuts.startStop, 'start / stop'],
            [shortcuts.newTab, 'new tab'],
            [shortcuts.open, 'open'],
            [shortcuts.exportJson, 'export JSON'],
            [shortcuts.exportSession, 'export session'],
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
        <Suspense fallback={null}>
          <FocusedPanes tab={tab} />
        </Suspense>
      )}
    </div>
  );
}
