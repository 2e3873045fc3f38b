/**
 * What Export JSON and Copy report take from the tab's focus: the window to
 * export and the report of a window's statistics, headed by which window it
 * is. Loaded on the first export (fileCommands): the first screen needs none
 * of the focus code.
 */
import type { WindowStatsInfo } from '@shared/storedSessions';
import type { TraceDocument } from '@shared/traceFile';
import { toTraceDocument, type TraceTab } from '../store/reducers';
import { exportWindow, type ResolvedFocus } from './focusChoice';
import { statisticsText } from './focusLabels';
import { windowReportDocument } from './focusReport';
import { windowHops } from './windowHops';

export { exportWindow };
export { tabFocus } from './focusInput';
export { focusedExport } from './focusReport';

/** The report of the tab's focus window, headed by which window it is. */
export function focusedReportText(
  tab: TraceTab,
  focus: ResolvedFocus,
  stats: WindowStatsInfo,
  formatReport: (doc: TraceDocument) => string,
): string {
  const doc = windowReportDocument(toTraceDocument(tab), windowHops(stats, tab), stats, exportWindow(focus));
  const heading = statisticsText({ focus, rounds: stats.rounds, fallback: false, mode: tab.mode }, Date.now());
  return `${heading}\n${formatReport(doc)}`;
}
