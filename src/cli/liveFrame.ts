/**
 * One frame of the CLI's live view: clear the screen, a status line, then
 * the report (or the strip of recent rounds, or the keys' help). Pure, so
 * what reaches the terminal can be tested: names and the target pass
 * through printableText (in formatReport and here), so no escape sequence
 * from a DNS answer can drive the terminal.
 */
import { formatReport, type ReportOptions } from '@shared/formats/report';
import { JITTER_FIELD_ORDER } from '@shared/formats/mtrFields';
import type { SessionSummary } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import { printableText } from '@shared/textSafety';
import { heldBackLine } from '@shared/heldBackProbes';
import { LIVE_KEY_HELP, initialLiveView, type LiveView } from './liveKeys';
import { formatStrip } from './liveStrip';
import { CLEAR_SCREEN } from './clearScreen';

/** The strip's width when the terminal does not say. */
const DEFAULT_COLUMNS = 80;

export interface LiveFrameOptions extends Pick<ReportOptions, 'owners' | 'fields'> {
  wide: boolean;
  showIps: boolean;
  localHost: string;
  /** What the keys chose to show; by default the statistics table with names and MPLS labels. */
  view?: LiveView;
  /** Terminal width, for the strip of recent rounds. */
  columns?: number;
  /** A line under the status line: what a key did, or could not do. */
  notice?: string;
  /** The bottom line: a key's value being typed (the cursor stays at its end). */
  prompt?: string;
}

/**
 * The document as the view shows names: without them (`n`), or with a name
 * for each responder `lookup` knows (names turned on in a run started with -n).
 */
export function withViewNames(
  doc: TraceDocument,
  names: boolean,
  lookup?: (address: string) => string | null,
): TraceDocument {
  if (names && !lookup) return doc;
  const hops = doc.hops.map((hop) => ({
    ...hop,
    hosts: hop.hosts.map((h) => ({ ...h, hostname: names ? (h.hostname ?? lookup?.(h.address) ?? null) : null })),
  }));
  return { ...doc, hops };
}

export function formatLiveFrame(summary: SessionSummary, doc: TraceDocument, opts: LiveFrameOptions): string {
  const target = summary.options.target;
  const address = summary.targetAddress && summary.targetAddress !== target ? ` (${summary.targetAddress})` : '';
  const reset = resetRound(summary);
  const since = reset === null ? '' : `  [reset at round ${reset}]`;
  const header = printableText(
    `hopscope ${summary.options.protocol.toUpperCase()} to ${target}${address}` +
      `  round ${segmentRounds(summary)}${summary.options.count ? `/${summary.options.count}` : ''}` +
      ` every ${summary.options.intervalSec} s${since}` +
      `${summary.state === 'paused' ? '  [paused]' : ''}  —  ? help · p pause · q quit`,
  );
  // Rounds that are late because probes wait for a slot must not read as a slow path.
  const held = summary.heldBackProbes ?? 0;
  const notes = [...(held > 0 ? [heldBackLine(held)] : []), ...(opts.notice ? [printableText(opts.notice)] : [])];
  const status = [header, ...notes].join('\n');
  const prompt = opts.prompt === undefined ? '' : `\n${printableText(opts.prompt)}`;
  return `${CLEAR_SCREEN}${status}\n\n${body(doc, opts)}${prompt}`;
}

/**
 * Rounds of the current segment: what its figures count, and what `-c` counts
 * (a reset or a protocol switch starts both again).
 */
function segmentRounds(summary: SessionSummary): number {
  return summary.segments?.at(-1)?.rounds ?? summary.rounds;
}

/** The round the current segment began at, when a statistics reset began it. */
function resetRound(summary: SessionSummary): number | null {
  const segment = summary.segments?.at(-1);
  if (!segment) return null;
  const reset = summary.markers?.some((m) => m.kind === 'statistics-reset' && m.round === segment.firstRound);
  return reset ? segment.firstRound : null;
}

function body(doc: TraceDocument, opts: LiveFrameOptions): string {
  const view = opts.view ?? initialLiveView({ dns: true });
  if (view.help) return helpText();
  if (view.mode === 'strip') return formatStrip(doc, { ...opts, columns: opts.columns ?? DEFAULT_COLUMNS });
  const fields = view.jitter ? JITTER_FIELD_ORDER : opts.fields;
  return formatReport(doc, { ...opts, fields, mpls: view.mpls });
}

function helpText(): string {
  const lines = LIVE_KEY_HELP.map(([key, what]) => `  ${key.padEnd(8)}${what}`);
  // With the status line, 24 rows of 80 columns hold it all, as mtr's help.
  const notes = [
    'Values are typed at the bottom: Enter applies, Esc cancels. Any key returns.',
    'c i f m s b Q u t restart the statistics; the earlier ones are kept.',
  ];
  return `Keys (as in mtr):\n${lines.join('\n')}\n${notes.join('\n')}\n`;
}
