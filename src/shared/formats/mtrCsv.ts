/**
 * `mtr --csv` as mtr 0.95 writes it. Scripts key on the header names, so the
 * header (trailing comma and the blank " " column, which carries mtr's Drop
 * count in rows) is byte-for-byte mtr's.
 *
 * The first column is honest about the producer: `HOPSCOPE.<tool version>`
 * rather than mtr's `MTR.<version>`, since the numbers did not come from mtr.
 */
import type { TraceDocument } from '../traceFile';
import { type MtrStyleOptions, cFixed, displayName, hopName, reportHops, summarizeHop, unixSeconds } from './common';

export const MTR_CSV_HEADER = 'Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,';

export interface CsvOptions extends Pick<MtrStyleOptions, 'showIps'> {
  /** `--report-wide`: one extra row (same figures) per further ECMP responder, as mtr does. */
  wide?: boolean;
}

/** mtr never quotes; only names from imported files could need it. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toMtrCsv(doc: TraceDocument, opts: CsvOptions = {}): string {
  const version = `HOPSCOPE.${doc.tool.version}`;
  const start = unixSeconds(doc.createdAt);
  const prefix = [csvField(version), String(start), 'OK', csvField(doc.target.input)].join(',');
  const lines = [MTR_CSV_HEADER];

  for (const hop of reportHops(doc)) {
    const s = summarizeHop(hop);
    const figures = [
      cFixed(s.lossPct, 2),
      String(s.sent),
      String(s.dropped),
      ...[s.lastMs, s.avgMs, s.bestMs, s.worstMs, s.stdevMs].map((v) => cFixed(v ?? 0, 2)),
    ].join(',');
    const row = (name: string) => `${prefix},${hop.ttl},${csvField(name)},${figures}`;

    lines.push(row(hopName(hop, opts.showIps)));
    if (opts.wide) {
      for (const host of hop.hosts.slice(1)) lines.push(row(displayName(host.address, host.hostname, opts.showIps)));
    }
  }
  return `${lines.join('\n')}\n`;
}
