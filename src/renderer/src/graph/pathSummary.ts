/**
 * The document view of what a tab shows, for the verdicts that are defined
 * on documents (@shared/pathVerdicts): the end-to-end line above the graph
 * and the PNG header use it.
 */
import { buildTraceDocument } from '@shared/traceDocument';
import { endToEnd } from '@shared/pathVerdicts';
import { endToEndLine } from '@shared/formats/verdictText';
import type { SessionSummary } from '@shared/session';
import type { HopStatsUpdate } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';

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
