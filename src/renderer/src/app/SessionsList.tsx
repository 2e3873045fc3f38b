/**
 * The sessions the history file holds, under the options: target, start,
 * duration and size of each, to open (a read-only tab with every sample) or
 * delete (after a confirmation). Fetched when the list is opened and while
 * it stays open, never with every batch.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoredSessionInfo } from '@shared/storedSessions';
import { useController, useTraces } from './context';
import './SessionsList.css';

/** While the list is open, it is read again this often (a live session grows). */
const REFRESH_MS = 10_000;

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function SessionItem({ session }: { session: StoredSessionInfo }) {
  const history = useController().history;
  const busy = useStore(history.store, (s) => s.busy.includes(session.id));
  const [confirming, setConfirming] = useState(false);
  const duration = (session.endedAt ?? session.lastAt) - session.startedAt;
  return (
    <li className="hs-session" data-testid="session-item" data-session-id={session.id}>
      <div className="hs-session-head">
        <span className="hs-session-target" title={session.targetAddress ?? session.target}>
          {session.target}
        </span>
        {session.live && <span className="hs-session-live">recording</span>}
        {session.state === 'interrupted' && <span className="hs-session-state">interrupted</span>}
      </div>
      <div className="hs-session-facts">
        <span data-testid="session-start">{new Date(session.startedAt).toLocaleString()}</span>
        <span data-testid="session-duration">{formatDuration(duration)}</span>
        <span data-testid="session-size">{formatBytes(session.approxBytes)}</span>
      </div>
      {confirming ? (
        <div className="hs-session-actions" role="group" aria-label="Confirm delete">
          <span className="hs-session-question">Delete every sample of this session?</span>
          <button
            type="button"
            className="hs-button hs-button--danger hs-button--small"
            data-testid="session-delete-confirm"
            disabled={busy}
            onClick={() => void history.delete(session.id).then(() => setConfirming(false))}
          >
            Delete
          </button>
          <button
            type="button"
            className="hs-button hs-button--small"
            data-testid="session-delete-cancel"
            onClick={() => setConfirming(false)}
          >
            Keep
          </button>
        </div>
      ) : (
        <div className="hs-session-actions">
          <button
            type="button"
            className="hs-button hs-button--small"
            data-testid="session-open"
            disabled={busy}
            onClick={() => void history.open(session.id)}
          >
            Open
          </button>
          <button
            type="button"
            className="hs-button hs-button--small"
            data-testid="session-delete"
            disabled={busy || session.live}
            title={session.live ? 'Still recording: close its tab first' : 'Delete this session from the history'}
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

export function SessionsList() {
  const history = useController().history;
  const status = useStore(history.store, (s) => s.status);
  const sessions = useStore(history.store, (s) => s.sessions);
  const loading = useStore(history.store, (s) => s.loading);
  const [open, setOpen] = useState(false);
  // The live traces' states as one value: a trace starting or ending changes the list.
  const liveStates = useTraces((s) => s.tabs.map((t) => `${t.sessionId}:${t.summary?.state}`).join(' '));

  // Once at start-up (a history file that cannot be opened gets its banner now), then while open.
  useEffect(() => void history.refresh(), [history]);
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => void history.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [history, open]);
  useEffect(() => {
    if (open) void history.refresh();
  }, [history, open, liveStates]);

  return (
    <details className="hs-history" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="hs-history-summary" data-testid="history-toggle">
        History
        <span className="hs-history-count">{status?.state === 'recording' ? sessions.length : ''}</span>
      </summary>
      <div className="hs-history-body">
        {status?.state === 'off' && <p className="hs-field-hint">Sessions are not recorded here.</p>}
        {status?.state === 'failed' && (
          <p className="hs-field-hint" data-testid="history-problem">
            History is off: {status.problem}
          </p>
        )}
        {status?.state === 'recording' && sessions.length === 0 && !loading && (
          <p className="hs-field-hint">No stored sessions yet: every trace is recorded.</p>
        )}
        <ul className="hs-session-list" data-testid="sessions-list" aria-busy={loading}>
          {sessions.map((s) => (
            <SessionItem key={s.id} session={s} />
          ))}
        </ul>
      </div>
    </details>
  );
}
