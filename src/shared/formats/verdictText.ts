/**
 * The verdicts of pathVerdicts.ts in words: the footnotes and summary line
 * under a report (what mtr users otherwise write by hand) and the short note
 * in a CSV row.
 */
import type { TraceDocument } from '../traceFile';
import type { EndToEnd, HopVerdict, PathVerdicts } from '../pathVerdictSchema';
import { cFixed, hopName, reportHops } from './common';
import { printableText } from '../textSafety';

/** A short note for one hop (CSV), empty when there is nothing to say. */
export function hopNote(verdict: HopVerdict | undefined): string {
  if (!verdict) return '';
  const notes: string[] = [];
  if (verdict.lossContinuesDownstream === false) notes.push('loss not carried downstream');
  const syn = verdict.synRetransmitRounds.length;
  if (syn > 0) notes.push(`${syn} TCP SYN retransmission${syn === 1 ? '' : 's'} (not latency)`);
  return notes.join('; ');
}

/** An RTT for people: at least two significant digits below 0.1 ms, so it never reads as 0.0. */
export function readableMs(ms: number): string {
  return ms > 0 && ms < 0.1 ? cFixed(ms, 3) : cFixed(ms, 1);
}

/** The end-to-end line: loss and latency at the destination, named `name` when given (else its address). */
export function endToEndLine(e: EndToEnd, name?: string): string {
  if (e.ttl === null) return 'End to end: no hop answered.';
  const figures =
    e.lossPct === null
      ? 'nothing sent'
      : `${cFixed(e.lossPct, 1)}% loss` +
        (e.avgMs !== null
          ? `, latency avg ${readableMs(e.avgMs)} ms (best ${readableMs(e.bestMs ?? 0)}, worst ${readableMs(e.worstMs ?? 0)})`
          : '');
  const where = `${printableText(name ?? e.address ?? '???')} (hop ${e.ttl})`;
  return e.destinationReached
    ? `End to end: ${figures} at the destination ${where}.`
    : `End to end: destination not reached; last answer from ${where}: ${figures}.`;
}

/** Footnote lines under a report: hops whose loss stays there, SYN retransmissions, then the end-to-end line. */
export function verdictFootnotes(doc: TraceDocument, verdicts: PathVerdicts, showIps = false): string[] {
  const lines: string[] = [];
  const byTtl = new Map(reportHops(doc).map((h) => [h.ttl, h]));
  for (const v of verdicts.hops) {
    const hop = byTtl.get(v.ttl);
    if (!hop) continue;
    const name = printableText(hopName(hop, showIps));
    if (v.lossContinuesDownstream === false) {
      lines.push(
        hop.hosts.length === 0
          ? `Note: hop ${v.ttl} (${name}) does not answer, but later hops do: not loss on the path.`
          : `Note: hop ${v.ttl} (${name}) loses ${cFixed(hop.lossPct, 1)}%, but later hops do not: ` +
              'this router limits its ICMP replies; not loss on the path.',
      );
    }
    const syn = v.synRetransmitRounds.length;
    if (syn > 0) {
      lines.push(
        `Note: hop ${v.ttl} (${name}): ${syn} repl${syn === 1 ? 'y' : 'ies'} came whole seconds late ` +
          'because TCP re-sent the SYN: Last/Wrst include them; they are not latency.',
      );
    }
  }
  const end = verdicts.endToEnd.ttl === null ? undefined : byTtl.get(verdicts.endToEnd.ttl);
  lines.push(endToEndLine(verdicts.endToEnd, end ? hopName(end, showIps) : undefined));
  return lines;
}
