/**
 * mtr `--json` export (the import is mtrJsonImport.ts, so that writing a
 * report builds none of the import's schemas). mtr lists one responder per
 * hop and pools the statistics of every responder of that TTL, so does the
 * export.
 */
import type { TraceDocument } from '../traceFile';
import {
  DEFAULT_LOCAL_HOST,
  type MtrStyleOptions,
  hopName,
  jsonReal,
  mtrHex,
  mtrTestCount,
  reportHops,
  roundMs,
  summarizeHop,
} from './common';
import { type OwnerColumnOptions, hopOwner, ownerCell } from './ownerColumns';
import { fieldStats, fieldsOf } from './mtrFields';

export interface MtrJsonHub {
  count: number;
  host: string;
  /** Only with `-z` (`-y 0`): `AS64500`, or `AS???` when unknown. */
  ASN?: string;
  'Loss%': number;
  Snt: number;
  Last: number;
  Avg: number;
  Best: number;
  Wrst: number;
  StDev: number;
}

export interface MtrJsonReport {
  report: {
    mtr: { src: string; dst: string; tos: number; tests: number; psize: string; bitpattern: string };
    hubs: MtrJsonHub[];
  };
}

/**
 * The mtr 0.94+ `--json` object. Times in ms rounded to µs (what mtr-packet measures), loss to 0.001 % like mtr.
 * With the `as` owner column each hub has mtr's `-z` key `ASN` after `host` (mtr writes no country key).
 */
export function toMtrJson(doc: TraceDocument, opts: MtrStyleOptions & OwnerColumnOptions = {}): MtrJsonReport {
  const withAsn = opts.owners?.includes('as') ?? false;
  const hops = reportHops(doc);
  return {
    report: {
      mtr: mtrJsonHeader(doc, opts),
      hubs: hops.map((hop) => {
        const s = summarizeHop(hop);
        return {
          count: hop.ttl,
          host: hopName(hop, opts.showIps),
          ...(withAsn ? { ASN: ownerCell('as', hopOwner(hop)) } : {}),
          'Loss%': Math.trunc(s.lossPct * 1000) / 1000,
          Snt: s.sent,
          Last: roundMs(s.lastMs ?? 0),
          Avg: roundMs(s.avgMs ?? 0),
          Best: roundMs(s.bestMs ?? 0),
          Wrst: roundMs(s.worstMs ?? 0),
          StDev: roundMs(s.stdevMs ?? 0),
        };
      }),
    },
  };
}

function mtrJsonHeader(doc: TraceDocument, opts: MtrStyleOptions): MtrJsonReport['report']['mtr'] {
  const o = doc.options;
  return {
    src: opts.localHost ?? doc.host ?? DEFAULT_LOCAL_HOST,
    dst: doc.target.input,
    tos: o.tos ?? 0,
    tests: mtrTestCount(doc),
    psize: String(o.size ?? 64),
    bitpattern: `0x${mtrHex(o.bitPattern ?? 0, 2)}`,
  };
}

/** A hub with mtr's `-o` fields: count, host, ASN (with `-z`), then one key per field title (blank excluded). */
export type MtrJsonFieldsHub = { count: number; host: string } & Record<string, number | string>;

/** {@link toMtrJson} with the `-o` fields mtr's json_close writes, each key the field's title. */
export function toMtrJsonFields(
  doc: TraceDocument,
  fields: string,
  opts: MtrStyleOptions & OwnerColumnOptions = {},
): { report: { mtr: MtrJsonReport['report']['mtr']; hubs: MtrJsonFieldsHub[] } } {
  const withAsn = opts.owners?.includes('as') ?? false;
  const columns = fieldsOf(fields).filter((f) => f.key !== ' ');
  const hubs = reportHops(doc).map((hop) => {
    const s = fieldStats(hop);
    const hub: MtrJsonFieldsHub = { count: hop.ttl, host: hopName(hop, opts.showIps) };
    if (withAsn) hub.ASN = ownerCell('as', hopOwner(hop));
    for (const f of columns) {
      const v = f.value(s);
      // As toMtrJson: loss to 0.001 % as mtr keeps it, times to the µs mtr-packet measures.
      hub[f.title] = !f.real ? v : f.key === 'L' ? Math.trunc(v * 1000) / 1000 : roundMs(v);
    }
    return hub;
  });
  return { report: { mtr: mtrJsonHeader(doc, opts), hubs } };
}

const REAL_KEYS = /^(\s*"(?:Loss%|Last|Avg|Best|Wrst|StDev)": )(\S+?)(,?)$/;

/** {@link toMtrJson} as text laid out like mtr's (jansson, 4-space indent, reals as `%.5g` with `.0`). */
export function formatMtrJson(doc: TraceDocument, opts: MtrStyleOptions & OwnerColumnOptions = {}): string {
  const text = JSON.stringify(toMtrJson(doc, opts), null, 4);
  const lines = text.split('\n').map((line) => {
    const m = REAL_KEYS.exec(line);
    return m ? `${m[1]}${jsonReal(Number(m[2]))}${m[3]}` : line;
  });
  return `${lines.join('\n')}\n`;
}
