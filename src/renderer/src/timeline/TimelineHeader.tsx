/**
 * The timeline's header: the legend of what each mark means, the focus
 * window (or "live"), the log-scale toggle, zoom out, and what the store
 * said when it could not answer.
 */
import type { FocusWindow } from '@shared/storedSessions';
import { LIVE_FOCUS_MINUTES } from '@shared/storedSessions';
import { MARKER_LABELS } from './timelineShapes';
import { windowText } from '../focus/focusLabels';

export interface TimelineHeaderProps {
  focus: FocusWindow | undefined;
  running: boolean;
  log: boolean;
  onLog: (log: boolean) => void;
  zoomed: boolean;
  onZoomOut: () => void;
  onClearFocus: () => void;
  /** A problem the last fetch had, or a note (more markers than shown). */
  note: string | null;
}

export function TimelineHeader(props: TimelineHeaderProps) {
  const { focus, running, log, onLog, zoomed, onZoomOut, onClearFocus, note } = props;
  return (
    <div className="hs-tl-header">
      <span className="hs-tl-title">Timeline</span>
      <ul className="hs-tl-legend" aria-label="Timeline legend">
        <li>
          <svg width="16" height="10" aria-hidden="true">
            <rect className="hs-tl-band" y="1" width="16" height="8" />
            <line className="hs-tl-avg" y1="5" x2="16" y2="5" />
          </svg>
          min–max, average
        </li>
        <li>
          <svg width="10" height="10" aria-hidden="true">
            <rect className="hs-tl-loss-3" width="10" height="10" />
          </svg>
          loss
        </li>
        {(['path-change', 'segment', 'restart', 'error'] as const).map((kind) => (
          <li key={kind}>
            <svg width="6" height="12" aria-hidden="true">
              <line className={`hs-tl-marker is-${kind}`} x1="3" x2="3" y2="12" />
            </svg>
            {MARKER_LABELS[kind]}
          </li>
        ))}
      </ul>
      {note !== null && (
        <span className="hs-tl-note" role="status" title={note}>
          {note}
        </span>
      )}
      <span className="hs-tl-controls">
        {focus ? (
          <span className="hs-tl-focus-chip" data-testid="timeline-focus">
            Focus {windowText(focus, focus.to)}
            <button type="button" className="hs-button hs-button--small" onClick={onClearFocus}>
              {running ? 'Live' : 'Clear'}
            </button>
          </span>
        ) : (
          <span className="hs-tl-focus-hint">
            {running ? `Focus: live, last ${LIVE_FOCUS_MINUTES} min · ` : ''}drag across the chart to focus
          </span>
        )}
        <label className="hs-tl-log">
          <input type="checkbox" checked={log} onChange={(e) => onLog(e.currentTarget.checked)} /> log
        </label>
        <button
          type="button"
          className="hs-button hs-button--small"
          disabled={!zoomed}
          onClick={onZoomOut}
          title="Show the whole session"
        >
          Whole session
        </button>
      </span>
    </div>
  );
}
