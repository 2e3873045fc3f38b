/** A tab and its UI state as the focus resolver reads them. */
import type { TraceTab } from '../store/reducers';
import { isActive } from '../store/selectors';
import { segmentsOf } from '../store/segments';
import type { TabUi } from '../app/uiState';
import { resolveFocus, type FocusInput, type ResolvedFocus } from './focusChoice';

export function focusInputOf(tab: TraceTab, ui: TabUi): FocusInput {
  const index = tab.showing ?? tab.segment;
  const segment = segmentsOf(tab).find((s) => s.index === index);
  return {
    mode: tab.mode,
    ...(ui.storedId === undefined ? {} : { storedId: ui.storedId }),
    ...(ui.focus === undefined ? {} : { focus: ui.focus }),
    ...(ui.focusSpan === undefined ? {} : { span: ui.focusSpan }),
    ...(segment === undefined ? {} : { segment }),
    running: isActive(tab),
    ...lastSampleAt(tab),
  };
}

function lastSampleAt(tab: TraceTab): { lastSampleAt?: number } {
  let last: number | undefined;
  for (const list of Object.values(tab.samples)) {
    const at = list[list.length - 1]?.at;
    if (at !== undefined && (last === undefined || at > last)) last = at;
  }
  return last === undefined ? {} : { lastSampleAt: last };
}

/** The tab's focus now. */
export function tabFocus(tab: TraceTab, ui: TabUi, now = Date.now()): ResolvedFocus {
  return resolveFocus(focusInputOf(tab, ui), now);
}

/**
 * What identifies a focus apart from the passing of time: a live focus's
 * window slides every second, but it is the same focus (the same fetch loop).
 */
export function focusKey(focus: ResolvedFocus): string {
  const r = focus.request;
  if (r === null) return `none:${focus.choice}`;
  if (focus.following && focus.choice === 'live') return `live:${r.id}:${focus.minutes}`;
  return `${focus.choice}:${r.id}:${r.from ?? ''}:${r.to ?? ''}`;
}
