/**
 * The form's foot: Start (a submit, so an invalid field is pointed out), or
 * for a running trace Apply changes, Pause/Resume and Stop.
 */
import type { SessionState } from '@shared/session';
import { PauseIcon, PlayIcon, RestartIcon, StopIcon } from './icons';

export interface RunControls {
  /** State of the tab's session; null before the first start. */
  state: SessionState | null;
  /** A call is in flight. */
  busy: boolean;
  /** The form differs from the running session's options. */
  dirty: boolean;
  onStart: () => void;
  onStop: () => void;
  onPauseResume: () => void;
  onApply: () => void;
  /** e.g. "Ctrl+Enter", shown on the start button. */
  startShortcut?: string;
}

export function RunControlsBar({
  state,
  busy,
  dirty,
  active,
  invalid,
  onStop,
  onPauseResume,
  startShortcut,
}: Omit<RunControls, 'onStart' | 'onApply'> & {
  active: boolean;
  /** The form does not validate: Apply looks disabled, and a click points out the field instead. */
  invalid: boolean;
}) {
  return (
    <div className="hs-run-controls">
      {!active && (
        <button
          type="submit"
          className="hs-button hs-button--primary hs-button--wide"
          data-testid="start-button"
          disabled={busy}
        >
          <PlayIcon /> {busy ? 'Starting…' : 'Start'}
          {startShortcut && <kbd>{startShortcut}</kbd>}
        </button>
      )}
      {active && dirty && (
        <button
          type="submit"
          className="hs-button hs-button--primary hs-button--wide"
          data-testid="apply-button"
          disabled={busy}
          aria-disabled={invalid ? true : undefined}
          title={
            invalid
              ? 'Fix the highlighted field first'
              : 'Restart the running trace with these options; its history is kept and the restart is marked'
          }
        >
          <RestartIcon /> Apply changes
        </button>
      )}
      {active && (
        <div className="hs-run-pair">
          <button
            type="button"
            className="hs-button"
            data-testid="pause-button"
            disabled={busy || state === 'resolving'}
            onClick={onPauseResume}
          >
            {state === 'paused' ? (
              <>
                <PlayIcon /> Resume
              </>
            ) : (
              <>
                <PauseIcon /> Pause
              </>
            )}
          </button>
          <button
            type="button"
            className="hs-button hs-button--danger"
            data-testid="stop-button"
            disabled={busy}
            onClick={onStop}
            title={startShortcut ? `Stop (${startShortcut})` : 'Stop'}
          >
            <StopIcon /> Stop
          </button>
        </div>
      )}
    </div>
  );
}
