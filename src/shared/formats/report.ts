/**
 * `mtr --report` text, laid out as mtr 0.95's ui/report.c does it (default
 * build, with ipinfo compiled in), so scripts that scrape mtr reports keep
 * working. By default two things differ from mtr, both after or inside the
 * columns: RTTs under 0.1 ms keep their digits, and footnotes under the
 * table give the path verdicts and the end-to-end figures. `mtrCompat`
 * prints exactly what mtr prints. Names are always made printable.
 */
import type { TraceDocument } from '../traceFile';
import {
  DEFAULT_LOCAL_HOST,
  type MtrStyleOptions,
  displayName,
  hopName,
  mtrIsoTime,
  mtrMs,
  reportHops,
  startTime,
} from './common';
import { judgePath } from '../pathVerdicts';
import { fieldStats, fieldsOf } from './mtrFields';
import { printableText } from '../textSafety';
import { readableMs, verdictFootnotes } from './verdictText';
import {
  type OwnerColumnOptions,
  hopOwner,
  ownerColumnsOf,
  ownerFootnotes,
  ownerHeaderWidth,
  ownerPrefix,
} from './ownerColumns';

export interface ReportOptions extends MtrStyleOptions, OwnerColumnOptions {
  /** `--report-wide`: size the host column to the longest name instead of cutting at 33 columns. */
  wide?: boolean;
  /** `-e`: print MPLS label lines under each hop. */
  mpls?: boolean;
  /** Exactly mtr's text: RTTs to 0.1 ms and no footnotes. */
  mtrCompat?: boolean;
  /** mtr's `-o` field letters, in order; default `LS NABWV`. */
  fields?: string;
}

/** mtr's host column width, where the statistics start in a non-wide report. */
export const HOST_COLUMN = 33;

/**
 * snprintf(buf + at, ...): everything from `at` on is replaced. The columns are mtr's fields
 * (mtrFields.ts) with its printf formats; a value wider than its field (100.0%) is overwritten by the
 * next field, exactly as mtr's snprintf-at-offset does, which is why silent hops read "100.0" without "%".
 */
const writeAt = (buf: string, at: number, text: string) => buf.slice(0, at).padEnd(at) + text;

export function formatReport(doc: TraceDocument, opts: ReportOptions = {}): string {
  const local = printableText(opts.localHost ?? doc.host ?? DEFAULT_LOCAL_HOST);
  const hops = reportHops(doc);
  const names = hops.map((h) => printableText(hopName(h, opts.showIps)));
  const ms = opts.mtrCompat ? mtrMs : readableMs;
  const fields = fieldsOf(opts.fields);

  const owners = ownerColumnsOf(opts);
  const longest = Math.max(local.length, ...names.map((n) => n.length));
  // With owner columns a wide report pads names one more and its header by the cells (mtr's len_tmp).
  const hostWidth = opts.wide ? longest + (owners.length > 0 ? 1 : 0) : HOST_COLUMN;
  const headerWidth = opts.wide && owners.length > 0 ? longest + ownerHeaderWidth(owners) : hostWidth;
  const start = startTime(doc);
  const lines: string[] = [`Start: ${start === null ? 'unknown' : mtrIsoTime(start)}`];

  let header = `HOST: ${local.padEnd(headerWidth)}`;
  let at = opts.wide ? header.length : HOST_COLUMN;
  for (const f of fields) {
    header = writeAt(header, at, f.title.padStart(f.width));
    at += f.width;
  }
  lines.push(header);

  hops.forEach((hop, i) => {
    const summary = fieldStats(hop);
    const name = (names[i] ?? '???').padEnd(hostWidth);
    let row =
      owners.length > 0
        ? ` ${String(hop.ttl).padStart(2)}. ${ownerPrefix(owners, hopOwner(hop))}${name}`
        : ` ${String(hop.ttl).padStart(2)}.|-- ${name}`;
    let col = opts.wide ? row.length : HOST_COLUMN;
    for (const f of fields) {
      row = writeAt(row, col, f.render(summary, ms));
      col += f.width;
    }
    lines.push(row);
    if (opts.mpls && hop.hosts[0]) lines.push(...hop.hosts[0].mpls.map(mplsLine));

    // Other responders of this TTL (ECMP), one name per line as mtr lists them.
    // With owner columns mtr prints such a responder twice, the second time after its owner;
    // Hopscope prints the second line only.
    for (const host of hop.hosts.slice(1)) {
      const other = printableText(displayName(host.address, host.hostname, opts.showIps));
      if (owners.length === 0 || opts.mtrCompat) lines.push(`        ${other.padEnd(hostWidth)}`);
      if (owners.length > 0) lines.push(`     ${ownerPrefix(owners, host.owner)}${other}`);
      if (opts.mpls) lines.push(...host.mpls.map(mplsLine));
    }
  });

  if (!opts.mtrCompat && hops.length > 0) {
    lines.push('', ...verdictFootnotes(doc, judgePath(doc), opts.showIps));
    const ownerLines = owners.length > 0 ? ownerFootnotes(hops) : [];
    if (ownerLines.length > 0) lines.push('Owners:', ...ownerLines.map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

function mplsLine(l: { label: number; trafficClass: number; bottomOfStack: boolean; ttl: number }): string {
  return `       [MPLS: Lbl ${l.label} TC ${l.trafficClass} S ${l.bottomOfStack ? 1 : 0} TTL ${l.ttl}]`;
}
