/**
 * One line at the bottom: what the active trace is doing. During discovery
 * it shows how far the path has been found; after an options change it
 * marks the restart, since statistics before and after it are combined.
 */
import type { SessionState } from '@shared/session';
import { startTime } from '@shared/formats/common';
import type { TraceTab } from '../store/reducers';
import { isActive, selectActiveTab } from '../store/selectors';
import { useTraces, useUi } from './context';
import type { FileInfo } from './uiState';
import { PROTOCOL_LABELS } from '@shared/probe';
import './StatusBar.css';

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

function LiveStatus({ tab }: { tab: TraceTab }) {
  const summary = tab.summary;
  if (summary === null) {
    return (
      <span className="hs-status-item hs-status-muted" data-testid="status-state">
        Ready
      </span>
    );
  }
  const o = summary.options;
  const found = hopsFound(tab);
  const active = isActive(tab);
  const discovering = summary.state === 'resolving' || (active && tab.destinationTtl === null && summary.rounds === 0);
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
      <span className="hs-status-item" data-testid="status-rounds">
        {o.count === null ? `${summary.rounds} rounds` : `${summary.rounds} / ${o.count} rounds`}
        <span className="hs-status-muted"> · every {o.intervalSec} s</span>
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
      ) : tab.destinationTtl !== null ? (
        <span className="hs-status-item" data-testid="status-destination">
          Destination reached at hop {tab.destinationTtl}
        </span>
      ) : summary.rounds > 0 ? (
        <span className="hs-status-item hs-status-warn" data-testid="status-destination">
          Destination not reached ({found} hops answered)
        </span>
      ) : null}
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
      <span className="hs-status-item" data-testid="status-destination">
        {tab.destinationTtl !== null ? `Destination reached at hop ${tab.destinationTtl}` : 'Destination not reached'}
      </span>
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
      </div>
      <div className="hs-status-right">
        {status?.available && <span className="hs-status-item hs-status-muted">mtr-packet {status.version ?? ''}</span>}
        <span className="hs-status-item hs-status-muted">{engine}</span>
      </div>
    </footer>
  );
}

/** When the trace was recorded, or "recorded: unknown" when an imported file does not say. */
function recordedText(doc: { startedAt?: string; createdAt?: string }): string {
  const at = startTime(doc);
  return at === null ? 'recorded: unknown' : new Date(at).toLocaleString();
}
