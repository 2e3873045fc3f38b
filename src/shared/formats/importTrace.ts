/**
 * Opens a trace file of any supported format: Hopscope's own
 * `hopscope.trace`, mtr `--json` (0.93 and 0.94+), `--csv`, `--xml` and
 * `--raw`, and Trippy `--mode json`. Never throws; every failure is a
 * message naming where the file is wrong, or what the file is when it is
 * not a trace file at all.
 */
import { type TraceDocument, READABLE_TRACE_FORMAT_VERSIONS, TRACE_FORMAT, traceDocumentSchema } from '../traceFile';
import { MAX_HOPS, MAX_TRACE_FILE_CHARS } from '../limits';
import { findJsonSyntaxError } from './jsonSyntax';
import { looksLikeMtrJson, parseMtrJson } from './mtrJsonImport';
import { looksLikeMtrCsv, parseMtrCsv } from './mtrCsvImport';
import { looksLikeMtrXml, parseMtrXml } from './mtrXmlImport';
import { looksLikeMtrRaw, parseMtrRaw } from './mtrRawImport';
import { describeForeignFile, recogniseUnsupported } from './identifyFile';
import { looksLikeTrippyJson, parseTrippyJson } from './trippyJson';
import { describeSchemaProblem, firstSchemaProblem } from '../schemaProblem';
import type { ImportResult } from '../ipc';

export type SourceFormat = 'hopscope' | 'mtr-json' | 'mtr-csv' | 'mtr-xml' | 'mtr-raw' | 'trippy-json';

export type ParseTraceResult =
  { ok: true; doc: TraceDocument; sourceFormat: SourceFormat } | { ok: false; error: string };

const fail = (error: string): ParseTraceResult => ({ ok: false, error });

/** What the error says to do when a file is not a trace file. */
const OPENABLE =
  'open a Hopscope trace, or an mtr report written with --json, --csv, --xml or --raw, or a Trippy --mode json report';

export function parseTraceFile(text: string): ParseTraceResult {
  try {
    return parse(text);
  } catch (e) {
    // Defensive: nothing above should throw, but a crash must not reach the UI.
    return fail(`could not read the file: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parse(text: string): ParseTraceResult {
  if (typeof text !== 'string') return fail('expected the file contents as text');
  if (text.length > MAX_TRACE_FILE_CHARS) {
    return fail(`file is too large (${(text.length / 1024 / 1024).toFixed(1)} MB; at most 50 MB is accepted)`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return fail('file is empty');

  if (looksLikeMtrCsv(body)) return converted(parseMtrCsv(body), 'mtr-csv', 'mtr CSV report');
  if (looksLikeMtrXml(body.trimStart())) return converted(parseMtrXml(body.trim()), 'mtr-xml', 'mtr XML report');
  if (looksLikeMtrRaw(body)) return converted(parseMtrRaw(body), 'mtr-raw', 'mtr raw log');
  const unsupported = recogniseUnsupported(body);
  if (unsupported) return fail(`${unsupported.what}: ${unsupported.fix}`);
  if (!/^\s*[{[]/.test(body) && !isJson(body)) {
    const what = describeForeignFile(body);
    return fail(`not a trace file${what ? `: it looks like ${what}` : ''}; ${OPENABLE}`);
  }

  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const where = findJsonSyntaxError(body);
    if (where)
      return fail(
        `invalid JSON at line ${where.line}, column ${where.column} (position ${where.offset}): ${where.message}`,
      );
    return fail(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return fail(`expected a JSON object at the top level, found ${kind}`);
  }
  const obj = value as Record<string, unknown>;

  if ('format' in obj) {
    if (obj.format !== TRACE_FORMAT) {
      return fail(`format: unknown format ${JSON.stringify(obj.format)} (expected "${TRACE_FORMAT}")`);
    }
    if (!READABLE_TRACE_FORMAT_VERSIONS.includes(obj.version)) {
      return fail(
        `version: unsupported ${TRACE_FORMAT} version ${JSON.stringify(obj.version)} (this build reads versions ${READABLE_TRACE_FORMAT_VERSIONS.join(' and ')})`,
      );
    }
    if (obj.version === 1 && 'segments' in obj) return fail('segments: a version-1 document has no segments');
    const tooMany = hopLimit(obj.hops, 'hops') ?? segmentHopLimit(obj.segments);
    if (tooMany) return fail(tooMany);
    const parsed = traceDocumentSchema.safeParse(obj);
    if (!parsed.success) {
      return fail(describeSchemaProblem(firstSchemaProblem(parsed.error, 'invalid hopscope.trace document')));
    }
    const dup = duplicateTtl(parsed.data) ?? segmentProblem(parsed.data);
    if (dup) return fail(dup);
    return { ok: true, doc: parsed.data, sourceFormat: 'hopscope' };
  }

  if (looksLikeMtrJson(obj)) {
    const report = obj.report;
    const hubs = typeof report === 'object' && report !== null ? (report as Record<string, unknown>).hubs : undefined;
    const tooMany = hopLimit(hubs, 'report.hubs');
    if (tooMany) return fail(tooMany);
    const r = parseMtrJson(obj);
    return r.ok ? { ok: true, doc: r.doc, sourceFormat: 'mtr-json' } : fail(`mtr JSON report: ${r.error}`);
  }

  if (looksLikeTrippyJson(obj)) {
    const tooMany = hopLimit(obj.hops, 'hops');
    if (tooMany) return fail(tooMany);
    const r = parseTrippyJson(obj);
    return r.ok ? { ok: true, doc: r.doc, sourceFormat: 'trippy-json' } : fail(`Trippy JSON report: ${r.error}`);
  }

  return fail(
    `unrecognised file: expected a ${TRACE_FORMAT} document ("format" key), an mtr --json report ("report" key) or a Trippy --mode json report ("info" and "hops" keys); this JSON file is not a trace file`,
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function converted(
  r: { ok: true; doc: TraceDocument } | { ok: false; error: string },
  sourceFormat: SourceFormat,
  label: string,
): ParseTraceResult {
  return r.ok ? { ok: true, doc: r.doc, sourceFormat } : fail(`${label}: ${r.error}`);
}

function hopLimit(hops: unknown, path: string): string | null {
  return Array.isArray(hops) && hops.length > MAX_HOPS
    ? `${path}: ${hops.length} hops (at most ${MAX_HOPS} are possible)`
    : null;
}

function duplicateTtl(doc: Pick<TraceDocument, 'hops'>, path = 'hops'): string | null {
  const seen = new Set<number>();
  for (const [i, hop] of doc.hops.entries()) {
    if (seen.has(hop.ttl)) return `${path}[${i}].ttl: duplicate TTL ${hop.ttl}`;
    seen.add(hop.ttl);
  }
  return null;
}

function segmentHopLimit(segments: unknown): string | null {
  if (!Array.isArray(segments)) return null;
  for (const [i, segment] of segments.entries()) {
    const tooMany = hopLimit((segment as { hops?: unknown } | null)?.hops, `segments[${i}].hops`);
    if (tooMany) return tooMany;
  }
  return null;
}

/**
 * Segments must be in index order, and only earlier segments carry hops
 * (the last one's are the document's `hops`), so no hop belongs to two.
 */
function segmentProblem(doc: TraceDocument): string | null {
  const segments = doc.segments ?? [];
  for (const [i, segment] of segments.entries()) {
    const previous = segments[i - 1];
    if (previous !== undefined && segment.index <= previous.index)
      return `segments[${i}].index: ${segment.index} does not follow ${previous.index}`;
    const last = i === segments.length - 1;
    if (last && segment.hops !== undefined)
      return `segments[${i}].hops: the current segment's hops are the document's "hops"`;
    const dup = segment.hops ? duplicateTtl({ hops: segment.hops }, `segments[${i}].hops`) : null;
    if (dup) return dup;
  }
  return null;
}

/**
 * A file's text as the contract's import result: what the app's main process
 * answers for `importTraceText` and what the browser client computes itself
 * (a browser never sends a whole file over the harness socket).
 */
export function importTraceText(fileName: string, text: string): ImportResult {
  const parsed = parseTraceFile(text);
  if (!parsed.ok) return { ok: false, error: parsed.error, fileName };
  return { ok: true, document: parsed.doc, sourceFormat: parsed.sourceFormat, fileName };
}
