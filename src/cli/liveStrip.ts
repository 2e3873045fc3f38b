/**
 * The live view's second display mode (mtr's `d`): per hop, one character
 * per round of its newest samples, newest last, so loss and its pattern show
 * at a glance. `.` is a reply, `?` a round without one (mtr's mark for a
 * lost probe). Pure, and every name passes through printableText.
 */
import { hopName, reportHops } from '@shared/formats/common';
import { HOST_COLUMN } from '@shared/formats/report';
import { printableText } from '@shared/textSafety';
import type { Sample, TraceDocument } from '@shared/traceFile';

/** At least this many rounds are shown, however narrow the terminal says it is. */
const MIN_ROUNDS = 10;

export interface StripOptions {
  localHost: string;
  showIps: boolean;
  /** Terminal columns: the strip fills the row after the host column. */
  columns: number;
}

export const sampleMark = (s: Sample): string => (s.rttMs !== null ? '.' : '?');

export function formatStrip(doc: TraceDocument, opts: StripOptions): string {
  const rounds = Math.max(MIN_ROUNDS, opts.columns - HOST_COLUMN - 1);
  const lines = [`${`HOST: ${printableText(opts.localHost)}`.padEnd(HOST_COLUMN)} newest rounds last`];
  for (const hop of reportHops(doc)) {
    const row = ` ${String(hop.ttl).padStart(2)}.|-- ${printableText(hopName(hop, opts.showIps))}`;
    const marks = hop.samples.slice(-rounds).map(sampleMark).join('');
    lines.push(`${row.slice(0, HOST_COLUMN).padEnd(HOST_COLUMN)} ${marks}`);
  }
  return `${lines.join('\n')}\n`;
}
