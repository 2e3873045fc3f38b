/**
 * One frame of the CLI's live view: clear the screen, a status line, then
 * the report. Pure, so what reaches the terminal can be tested: names and
 * the target pass through printableText (in formatReport and here), so no
 * escape sequence from a DNS answer can drive the terminal.
 */
import { formatReport, type ReportOptions } from '@shared/formats/report';
import type { SessionSummary } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import { printableText } from '@shared/textSafety';
import { heldBackLine } from '@shared/heldBackProbes';

/** The only control sequence a frame contains: cursor home and clear screen. */
export const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export interface LiveFrameOptions extends Pick<ReportOptions, 'owners' | 'fields'> {
  wide: boolean;
  showIps: boolean;
  localHost: string;
}

export function formatLiveFrame(summary: SessionSummary, doc: TraceDocument, opts: LiveFrameOptions): string {
  const target = summary.options.target;
  const address = summary.targetAddress && summary.targetAddress !== target ? ` (${summary.targetAddress})` : '';
  const header = printableText(
    `hopscope ${summary.options.protocol.toUpperCase()} to ${target}${address}` +
      `  round ${summary.rounds}${summary.options.count ? `/${summary.options.count}` : ''}` +
      `${summary.state === 'paused' ? '  [paused]' : ''}  —  p pause · q quit`,
  );
  // Rounds that are late because probes wait for a slot must not read as a slow path.
  const held = summary.heldBackProbes ?? 0;
  const status = held > 0 ? `${header}\n${heldBackLine(held)}` : header;
  return `${CLEAR_SCREEN}${status}\n\n${formatReport(doc, { ...opts, mpls: true })}`;
}
