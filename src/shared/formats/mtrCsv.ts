/**
 * `mtr --csv` as mtr 0.95 writes it. Scripts key on the header names, so the
 * header (trailing comma and the blank " " column, which carries mtr's Drop
 * count in rows) is byte-for-byte mtr's.
 *
 * The first column is honest about the producer: `HOPSCOPE.<tool version>`
 * rather than mtr's `MTR.<version>`, since the numbers did not come from mtr.
 *
 * mtr's header ends in an unnamed column that its rows leave out; Hopscope's
 * rows fill it with the hop's verdict note (loss not carried downstream, SYN
 * retransmissions), empty when there is none. `mtrCompat` leaves it out as
 * mtr does. Text cells are always made printable and formula-safe.
 */
import type { TraceDocument } from '../traceFile';
import {
  type MtrStyleOptions,
  cFixed,
  displayName,
  hopName,
  reportHops,
  startTime,
  summarizeHop,
  unixSeconds,
} from './common';
import { csvTextCell } from '../textSafety';
import { judgePath } from '../pathVerdicts';
import { hopNote } from './verdictText';

export const MTR_CSV_HEADER = 'Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,';

export interface CsvOptions extends Pick<MtrStyleOptions, 'showIps'> {
  /** `--report-wide`: one extra row (same figures) per further ECMP responder, as mtr does. */
  wide?: boolean;
  /** Exactly mtr's rows: no verdict note in the trailing column. */
  mtrCompat?: boolean;
}

export function toMtrCsv(doc: TraceDocument, opts: CsvOptions = {}): string {
  const version = `HOPSCOPE.${doc.tool.version}`;
  const start = startTime(doc);
  const prefix = [
    csvTextCell(version),
    start === null ? '' : String(unixSeconds(start)),
    'OK',
    csvTextCell(doc.target.input),
  ].join(',');
  const lines = [MTR_CSV_HEADER];
  const verdicts = opts.mtrCompat ? null : new Map(judgePath(doc).hops.map((v) => [v.ttl, v]));

  for (const hop of reportHops(doc)) {
    const s = summarizeHop(hop);
    const figures = [
      cFixed(s.lossPct, 2),
      String(s.sent),
      String(s.dropped),
      ...[s.lastMs, s.avgMs, s.bestMs, s.worstMs, s.stdevMs].map((v) => cFixed(v ?? 0, 2)),
    ].join(',');
    const note = verdicts ? `,${csvTextCell(hopNote(verdicts.get(hop.ttl)))}` : '';
    const row = (name: string) => `${prefix},${hop.ttl},${csvTextCell(name)},${figures}${note}`;

    lines.push(row(hopName(hop, opts.showIps)));
    if (opts.wide) {
      for (const host of hop.hosts.slice(1)) lines.push(row(displayName(host.address, host.hostname, opts.showIps)));
    }
  }
  return `${lines.join('\n')}\n`;
}
