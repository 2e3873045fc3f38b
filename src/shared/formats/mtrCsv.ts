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
import { type MtrStyleOptions, displayName, hopName, reportHops, startTime, unixSeconds } from './common';
import { type MtrField, fieldStats, fieldsOf } from './mtrFields';
import { csvTextCell } from '../textSafety';
import { judgePath } from '../pathVerdicts';
import { hopNote } from './verdictText';
import { type OwnerColumn, type OwnerColumnOptions, hopOwner, ownerCell, ownerColumnsOf } from './ownerColumns';

export const MTR_CSV_HEADER = 'Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,';

/** mtr names its `-z` column `Asn` (after `Ip`); it has no country column, Hopscope's is `Country`. */
const OWNER_CSV_TITLE: Record<OwnerColumn, string> = { as: 'Asn', country: 'Country' };

/** The header with owner columns after `Ip`, as mtr 0.95's csv_close writes `Asn`, and the `-o` fields' titles. */
export function mtrCsvHeader(columns: readonly OwnerColumn[] = [], fields: readonly MtrField[] = fieldsOf()): string {
  const owners = columns.map((c) => `${OWNER_CSV_TITLE[c]},`).join('');
  return `Mtr_Version,Start_Time,Status,Host,Hop,Ip,${owners}${fields.map((f) => `${f.title},`).join('')}`;
}

export interface CsvOptions extends Pick<MtrStyleOptions, 'showIps'>, OwnerColumnOptions {
  /** `--report-wide`: one extra row (same figures) per further ECMP responder, as mtr does. */
  wide?: boolean;
  /** Exactly mtr's rows: no verdict note in the trailing column. */
  mtrCompat?: boolean;
  /** mtr's `-o` field letters, in order; default `LS NABWV`. */
  fields?: string;
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
  // mtr's CSV has the AS only (its -y 2 adds no column), so compat output leaves the country out.
  const owners = ownerColumnsOf(opts).filter((c) => c === 'as' || !opts.mtrCompat);
  const fields = fieldsOf(opts.fields);
  const lines = [mtrCsvHeader(owners, fields)];
  const verdicts = opts.mtrCompat ? null : new Map(judgePath(doc).hops.map((v) => [v.ttl, v]));

  for (const hop of reportHops(doc)) {
    const s = fieldStats(hop);
    const figures = fields.map((f) => f.csv(s));
    const note = verdicts ? [csvTextCell(hopNote(verdicts.get(hop.ttl)))] : [];
    const row = (name: string, owner: Parameters<typeof ownerCell>[1]) =>
      [
        prefix,
        hop.ttl,
        csvTextCell(name),
        ...owners.map((c) => csvTextCell(ownerCell(c, owner))),
        ...figures,
        ...note,
      ].join(',');

    lines.push(row(hopName(hop, opts.showIps), hopOwner(hop)));
    if (opts.wide) {
      for (const host of hop.hosts.slice(1)) {
        lines.push(row(displayName(host.address, host.hostname, opts.showIps), host.owner));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
