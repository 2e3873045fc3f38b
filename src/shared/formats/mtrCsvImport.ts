/**
 * Import of `mtr --csv` (0.87 and later: a header line naming the columns,
 * then one comma-separated row per hop, more rows for further ECMP
 * responders with `--report-wide`). Columns are found by their header name,
 * since `-o` changes which statistics mtr writes. Hopscope's own CSV (first
 * column `HOPSCOPE.<version>`) reads back the same way.
 */
import { targetSchema } from '../probe';
import { MTR_STAT_TITLES, type MtrHub, type MtrStatKey, mtrReportToDocument, unmeasuredHost } from './mtrReportImport';
import type { ConvertResult } from './validated';
import { MAX_HOPS } from '../limits';

export const MTR_CSV_HEADER_START = 'Mtr_Version,';

/** Statistic columns by header name; mtr titles its blank column " " and fills it with Drop. */
const STAT_COLUMNS: Readonly<Record<string, MtrStatKey>> = { ...MTR_STAT_TITLES, ' ': 'Drop' };

export function looksLikeMtrCsv(text: string): boolean {
  return text.startsWith(MTR_CSV_HEADER_START);
}

/** Splits one CSV line; mtr never quotes, Hopscope quotes names holding a comma or quote. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/** Validates and converts an mtr CSV report. Never throws. */
export function parseMtrCsv(text: string): ConvertResult {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  const col = (name: string) => header.indexOf(name);
  for (const required of ['Mtr_Version', 'Start_Time', 'Host', 'Hop', 'Ip']) {
    if (col(required) < 0) return { ok: false, error: `line 1: the header has no "${required}" column` };
  }
  const fail = (line: number, message: string): ConvertResult => ({ ok: false, error: `line ${line}: ${message}` });

  const hubs = new Map<number, MtrHub>();
  /** Further responders per hop, from --report-wide rows. */
  const further = new Map<number, string[]>();
  let dst: string | undefined;
  let version: string | undefined;
  let start: number | undefined;
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '') continue;
    const cells = splitCsvLine(line);
    const cell = (name: string) => cells[col(name)] ?? '';
    const ttl = Number(cell('Hop'));
    if (!/^\d+$/.test(cell('Hop')) || ttl < 1 || ttl > 255)
      return fail(i + 1, `Hop: expected a hop number from 1 to 255, found ${JSON.stringify(cell('Hop'))}`);
    const host = cell('Ip');
    if (host === '') return fail(i + 1, 'Ip: empty');
    dst ??= cell('Host');
    version ??= cell('Mtr_Version');
    // Unix seconds; a value past what a date can hold (year 275760) is no time at all.
    if (start === undefined && /^\d{1,12}$/.test(cell('Start_Time'))) start = Number(cell('Start_Time'));

    const existing = hubs.get(ttl);
    if (existing) {
      // --report-wide repeats the hop's figures for each further responder.
      if (existing.host !== host) further.get(ttl)?.push(host);
      continue;
    }
    if (hubs.size >= MAX_HOPS) return fail(i + 1, `more than ${MAX_HOPS} hops`);
    const hub: MtrHub = { count: ttl, host };
    further.set(ttl, []);
    for (const [name, key] of Object.entries(STAT_COLUMNS)) {
      const at = col(name);
      if (at < 0 || cells[at] === undefined) continue;
      const value = Number(cells[at]);
      if (cells[at].trim() === '' || !Number.isFinite(value) || value < 0)
        return fail(i + 1, `${name.trim() || 'Drop'}: expected a number, found ${JSON.stringify(cells[at])}`);
      if (key === 'Loss%' && value > 100) return fail(i + 1, 'Loss%: loss must be at most 100');
      hub[key] = value;
    }
    hubs.set(ttl, hub);
  }
  if (hubs.size === 0 || dst === undefined) return { ok: false, error: 'the CSV report has a header but no hops' };
  const target = targetSchema.safeParse(dst);
  if (!target.success) return { ok: false, error: `Host: ${target.error.issues[0]?.message ?? 'not a valid target'}` };

  const converted = mtrReportToDocument(
    {
      dst,
      toolVersion: version?.replace(/^(MTR|HOPSCOPE)\./i, '') || 'unknown',
      ...(start !== undefined ? { startedAt: new Date(start * 1000).toISOString() } : {}),
    },
    [...hubs.values()],
    'rows',
  );
  if (!converted.ok) return converted;
  // Further ECMP responders named by --report-wide rows: listed, with no figures of their own.
  for (const hop of converted.doc.hops) {
    for (const name of further.get(hop.ttl) ?? []) {
      hop.hosts.push(unmeasuredHost(name));
    }
  }
  if (/^HOPSCOPE\./i.test(version ?? '')) converted.doc.tool.name = 'hopscope';
  return converted;
}
