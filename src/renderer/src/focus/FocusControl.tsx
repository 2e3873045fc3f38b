/**
 * The focus control above the graph and table: live (the last N minutes),
 * the whole session, or a custom window (brushed on the timeline, opened
 * from a file, or typed here), and the line saying which statistics are
 * shown. It only writes the tab's UI state; useFocusedStats follows it.
 */
import { useState, type FormEvent } from 'react';
import { useController } from '../app/context';
import { patchTabUi } from '../app/uiState';
import { LIVE_FOCUS_CHOICES } from './focusChoice';
import { customChoiceText, liveChoiceText, statisticsText } from './focusLabels';
import { localInputValue, parseCustomWindow } from './customWindow';
import type { FocusedStats } from './useFocusedStats';
import './FocusControl.css';

export interface FocusControlProps {
  tabId: string;
  mode: 'live' | 'file';
  /** The tab has a stored session: windows other than its own statistics can be asked for. */
  stored: boolean;
  focused: FocusedStats;
}

const CUSTOM_NEW = 'custom-new';

function selectValue({ focus }: FocusedStats): string {
  if (focus.choice === 'custom') return 'custom';
  return focus.choice === 'live' ? `live:${focus.minutes ?? 0}` : 'whole';
}

export function FocusControl({ tabId, mode, stored, focused }: FocusControlProps) {
  const controller = useController();
  const [typing, setTyping] = useState(false);
  const { focus, now } = focused;
  const custom = focus.choice === 'custom' ? focus.window : null;
  const set = (patch: Parameters<typeof patchTabUi>[2]) => patchTabUi(controller.ui, tabId, patch);

  const onChoose = (value: string) => {
    if (value === CUSTOM_NEW) {
      setTyping(true);
      return;
    }
    setTyping(false);
    if (value === 'custom') return;
    if (value === 'whole') set({ focus: undefined, focusSpan: { kind: 'whole' } });
    else set({ focus: undefined, focusSpan: { kind: 'live', minutes: Number(value.slice('live:'.length)) } });
  };

  const { rounds, fallback, unrecorded } = focused;
  let status = statisticsText({ focus, rounds, fallback, unrecorded, mode }, now);
  if (focused.loading) status = `${status.replace(/ \(.*\)$/, '')}: loading…`;
  return (
    <div className="hs-focus" data-testid="focus-control">
      <label className="hs-focus-choice">
        <span>Focus</span>
        <select
          data-testid="focus-select"
          value={typing ? CUSTOM_NEW : selectValue(focused)}
          disabled={!stored && custom === null}
          onChange={(e) => onChoose(e.currentTarget.value)}
          title={stored ? 'Which rounds the table and graph count' : 'No session history for this tab'}
        >
          {mode === 'live' &&
            LIVE_FOCUS_CHOICES.map((minutes) => (
              <option key={minutes} value={`live:${minutes}`}>
                {liveChoiceText(minutes)}
              </option>
            ))}
          <option value="whole">Whole session</option>
          {custom !== null && <option value="custom">{customChoiceText(custom, now)}</option>}
          {stored && <option value={CUSTOM_NEW}>Custom window…</option>}
        </select>
      </label>
      {custom !== null && stored && (
        <button
          type="button"
          className="hs-focus-clear"
          data-testid="focus-clear"
          aria-label="Clear the focus window"
          title="Clear the focus window"
          onClick={() => set({ focus: undefined })}
        >
          ✕
        </button>
      )}
      {typing && (
        <CustomWindowForm
          initial={custom ?? focus.window ?? { from: now - 10 * 60_000, to: now }}
          onApply={(window) => {
            setTyping(false);
            set({ focus: window });
          }}
          onCancel={() => setTyping(false)}
        />
      )}
      <p className="hs-focus-status" data-testid="focus-status" role="status">
        {focused.error === null ? status : `Could not read the window's statistics: ${focused.error}`}
      </p>
    </div>
  );
}

function CustomWindowForm({
  initial,
  onApply,
  onCancel,
}: {
  initial: { from: number; to: number };
  onApply: (window: { from: number; to: number }) => void;
  onCancel: () => void;
}) {
  const [from, setFrom] = useState(() => localInputValue(initial.from));
  const [to, setTo] = useState(() => localInputValue(initial.to));
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseCustomWindow(from, to);
    if (parsed.ok) onApply(parsed.window);
    else setError(parsed.error);
  };
  return (
    <form className="hs-focus-custom" data-testid="focus-custom" onSubmit={onSubmit}>
      <label>
        From
        <input
          type="datetime-local"
          step={1}
          data-testid="focus-from"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
      </label>
      <label>
        To
        <input
          type="datetime-local"
          step={1}
          data-testid="focus-to"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </label>
      <button type="submit" className="hs-button" data-testid="focus-apply">
        Apply
      </button>
      <button type="button" className="hs-button" onClick={onCancel}>
        Cancel
      </button>
      {error !== null && (
        <span className="hs-focus-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
