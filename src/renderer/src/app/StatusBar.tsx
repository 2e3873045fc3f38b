/**
 * One line at the bottom: what the active trace is doing. During discovery
 * it shows how far the path has been found. After an options change it
 * shows which segment is on screen (statistics are per segment) and offers
 * the earlier ones. Items shrink with an ellipsis; numbers never get cut.
 */
import { Suspense } from 'react';
import type { SessionState } from '@shared/session';
import { startTime } from '@shared/formats/common';
import type { TraceTab } from '../store/reducers';
import { isActive, selectActiveTab } from '../store/selectors';
import { segmentsOf, shownSegmentIndex } from '../store/segments';
import { RemoteStatus } from '../remote/RemoteStatus';
import { preloadableLazy } from './preloadableLazy';
import { OwnerDataStatusItems } from '../about/ShellDialogs';
import { useTraces, useUi } from './context';
import type { FileInfo } from './uiState';
import { PROTOCOL_LABELS } from '@shared/protocols';
import { HELD_BACK_EXPLANATION, HELD_BACK_REASON, heldBackLine } from '@shared/heldBackProbes';
import './StatusBar.css';

// Only a trace with several segments shows it: not part of the first screen (preloaded after it).
const SegmentPicker = preloadableLazy(() => import('./SegmentPicker').then((m) => m.SegmentPicker)).Component;

const STATE_LABELS: Record<SessionState, string> = {
  resolving: 'Resolving',
  running: 'Running',
  paused: 'Paused',
  finished: 'Finished',
  stopped: 'Stopped',
  failed: 'Failed',
};

/** TTLs where someone answered. */
function hopsFound(tab: TraceTab): number {
  let found = 0;
  for (const hop of Object.values(tab.hops)) if (hop.hosts.length > 0) found++;
  return found;
}

function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The end of the shown segment's path; the number stays whole when the bar is narrow. */
function Destination({ tab, found }: { tab: TraceTab; found: number | null }) {
  const reached = tab.destinationTtl;
  const text =
    reached !== null
      ? `Destination reached at hop ${reached}`
      : `Destination not reached${found === null ? '' : ` (${found} hops answered)`}`;
  return (
    <span
      className={`hs-status-item${reached === null && found !== null ? ' hs-status-warn' : ''}`}
      data-testid="status-destination"
      title={text}
    >
      {reached !== null ? (
        <>
          <span className="hs-status-text">Destination reached at hop</span>{' '}
          <span className="hs-status-num">{reached}</span>
        </>
      ) : (
        <span className="hs-status-text">{text}</span>
      )}
    </span>
  );
}

/** This session's probes wait for a free mtr-packet slot: its rounds are late, and that is not loss. */
function HeldBack({ count }: { count: number }) {
  return (
    <span
      className="hs-status-item hs-status-warn"
      data-testid="status-held-back"
      title={`${heldBackLine(count)}. ${HELD_BACK_EXPLANATION}`}
    >
      <span className="hs-status-text">Probes held back:</span> <span className="hs-status-num">{count}</span>
      <span className="hs-status-text hs-status-muted">— {HELD_BACK_REASON}</span>
    </span>
  );
}

function LiveStatus({ tab }: { tab: TraceTab }) {
  const summary = tab.summary;
  if (summary === null) {
    return (
      <span className="hs-status-item hs-status-muted" data-testid="status-state">
        Ready
      </span>
    );
  }
  const shownIndex = shownSegmentIndex(tab);
  const segment = segmentsOf(tab).find((s) => s.index === shownIndex);
  const earlier = shownIndex !== tab.segment;
  // An earlier segment is described by its own options; the summary's are the current one's.
  const o =
    earlier && segment ? { ...summary.options, ...segment.options, target: segment.target.input } : summary.options;
  const rounds = segment && segmentsOf(tab).length > 1 ? segment.rounds : summary.rounds;
  const found = hopsFound(tab);
  const active = isActive(tab) && !earlier;
  const discovering = summary.state === 'resolving' || (active && tab.destinationTtl === null && rounds === 0);
  const lastRestart = summary.restarts[summary.restarts.length - 1];
  return (
    <>
      <span
        className={`hs-status-item hs-status-state is-${summary.state}`}
        data-testid="status-state"
        aria-live="polite"
      >
        <span className={`hs-state-dot hs-state-dot--${summary.state}`} aria-hidden="true" />
        {STATE_LABELS[summary.state]}
      </span>
      <span className="hs-status-item" data-testid="status-target" title="Target and the address it resolved to">
        <span className="hs-status-strong">{o.target}</span>
        {summary.targetAddress !== null && summary.targetAddress !== o.target && (
          <span className="hs-status-mono"> → {summary.targetAddress}</span>
        )}
        {summary.ipVersion !== null && <span className="hs-status-muted"> IPv{summary.ipVersion}</span>}
      </span>
      <span className="hs-status-item">
        {PROTOCOL_LABELS[o.protocol]}
        {o.port !== undefined && `:${o.port}`}
      </span>
      <Suspense fallback={null}>
        <SegmentPicker tab={tab} />
      </Suspense>
      <span className="hs-status-item" data-testid="status-rounds">
        <span className="hs-status-num">{o.count === null ? `${rounds} rounds` : `${rounds} / ${o.count} rounds`}</span>
        <span className="hs-status-text hs-status-muted"> · every {o.intervalSec} s</span>
      </span>
      {discovering ? (
        <span className="hs-status-item hs-discovery" data-testid="status-discovery">
          {summary.state === 'resolving' ? (
            'Resolving target…'
          ) : (
            <>
              Discovering path: {found} / {o.maxTtl} hops
            </>
          )}
          <progress
            className="hs-progress"
            max={o.maxTtl}
            value={summary.state === 'resolving' ? undefined : found}
            aria-label="Hops found of max TTL"
          />
        </span>
      ) : rounds > 0 || tab.destinationTtl !== null ? (
        <Destination tab={tab} found={found} />
      ) : null}
      {!earlier && summary.heldBackProbes !== undefined && summary.heldBackProbes > 0 && (
        <HeldBack count={summary.heldBackProbes} />
      )}
      {lastRestart !== undefined && (
        <span
          className="hs-status-item hs-restart-marker"
          data-testid="restart-marker"
          title={summary.restarts.map((r) => `Options changed at ${formatTime(r.at)} (round ${r.round})`).join('\n')}
        >
          ↻ {summary.restarts.length === 1 ? 'Restarted' : `Restarted ×${summary.restarts.length}`} at round{' '}
          {lastRestart.round}
        </span>
      )}
      {tab.missedBatches > 0 && (
        <span className="hs-status-item hs-status-warn" title="Some live updates were lost; statistics are still exact">
          {tab.missedBatches} updates missed
        </span>
      )}
    </>
  );
}

function FileStatus({ tab, file }: { tab: TraceTab; file: FileInfo | undefined }) {
  const doc = tab.readOnlyDoc;
  if (doc === undefined) return null;
  return (
    <>
      <span className="hs-status-item hs-status-state is-file" data-testid="status-state">
        Saved trace · read-only
      </span>
      {file && (
        <span className="hs-status-item" title={`Format: ${file.sourceFormat}`}>
          {file.fileName} <span className="hs-status-muted">({file.sourceFormat})</span>
        </span>
      )}
      <span className="hs-status-item">
        <span className="hs-status-strong">{doc.target.input}</span>
        {doc.target.address !== null && doc.target.address !== doc.target.input && (
          <span className="hs-status-mono"> → {doc.target.address}</span>
        )}
      </span>
      <span className="hs-status-item">{recordedText(doc)}</span>
      {doc.rounds !== undefined && <span className="hs-status-item">{doc.rounds} rounds</span>}
      <Suspense fallback={null}>
        <SegmentPicker tab={tab} />
      </Suspense>
      <Destination tab={tab} found={null} />
      {doc.restarts !== undefined && doc.restarts.length > 0 && (
        <span className="hs-status-item hs-restart-marker" data-testid="restart-marker">
          ↻ Restarted ×{doc.restarts.length}
        </span>
      )}
    </>
  );
}

export function StatusBar({ engine }: { engine: string }) {
  const tab = useTraces(selectActiveTab);
  const file = useUi((s) => (tab === null ? undefined : s.tabs[tab.id]?.file));
  const status = useUi((s) => s.mtrStatus);
  return (
    <footer className="hs-statusbar" data-testid="status-bar">
      <div className="hs-status-left">
        {tab === null ? null : tab.mode === 'file' ? <FileStatus tab={tab} file={file} /> : <LiveStatus tab={tab} />}
        {tab?.summary?.remote && <RemoteStatus origin={tab.summary.remote} />}
      </div>
      <div className="hs-status-right">
        {status?.available && <span className="hs-status-item hs-status-muted">mtr-packet {status.version ?? ''}</span>}
        <span className="hs-status-item hs-status-muted">{engine}</span>
        <OwnerDataStatusItems />
      </div>
    </footer>
  );
}

/** When the trace was recorded, or "recorded: unknown" when an imported file does not say. */
function recordedText(doc: { startedAt?: string; createdAt?: string }): string {
  const at = startTime(doc);
  return at === null ? 'recorded: unknown' : new Date(at).toLocaleString();
}
