/**
 * The document view of what a tab shows, for the verdicts that are defined
 * on documents (@shared/pathVerdicts): the end-to-end line above the graph
 * and the PNG header use it.
 */
import { buildTraceDocument } from '@shared/traceDocument';
import { endToEnd } from '@shared/pathVerdicts';
import { endToEndLine } from '@shared/formats/verdictText';
import type { HopStatsUpdate, SessionSummary } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import { PROTOCOL_LABELS } from '@shared/protocols';
import { startTime } from '@shared/formats/common';
import { printableText } from '@shared/textSafety';

/** A document of a live session's statistics (samples left out: the end-to-end figures do not need them). */
export function liveDocument(summary: SessionSummary, hops: readonly HopStatsUpdate[]): TraceDocument {
  return buildTraceDocument(
    summary,
    hops.map((hop) => ({ ...hop, samples: [] })),
  );
}

/** "End to end: 0.0% loss, latency avg 3.2 ms … at the destination host (hop 6)." */
export function endToEndText(doc: TraceDocument): string {
  const e = endToEnd(doc);
  const at = e.ttl === null ? undefined : doc.hops.find((h) => h.ttl === e.ttl);
  const name = at?.hosts.find((h) => h.address === e.address)?.hostname ?? undefined;
  return endToEndLine(e, name);
}

function probeLine(options: TraceDocument['options']): string {
  if (options.protocol === undefined) return 'protocol unknown';
  const label = PROTOCOL_LABELS[options.protocol];
  if (options.protocol === 'icmp') return label;
  // Without a port, mtr-packet varies it per probe (UDP) or uses 80 (TCP): say so rather than invent a number.
  return `${label} port ${options.port ?? (options.protocol === 'tcp' ? '80 (default)' : 'varied per probe')}`;
}

/**
 * The header of an exported PNG, so an image passed around still says what it
 * measured: target and address, protocol and port, start, rounds, tool. Text
 * from the network (names) goes through printableText.
 */
export function pngHeaderLines(doc: TraceDocument): string[] {
  const address = doc.target.address === null ? 'address unknown' : doc.target.address;
  const started = startTime(doc);
  const rounds = doc.rounds === undefined ? 'rounds unknown' : `${doc.rounds} round${doc.rounds === 1 ? '' : 's'}`;
  return [
    `${doc.target.input} (${address})`,
    `${probeLine(doc.options)} · started ${started === null ? 'unknown' : started.replace('T', ' ').replace(/\.\d+/, '')} · ${rounds}`,
    `${endToEndText(doc)}`,
    `${doc.tool.name} ${doc.tool.version}${doc.tool.mtrPacketVersion === null ? '' : ` · mtr-packet ${doc.tool.mtrPacketVersion}`}`,
  ].map(printableText);
}
