/**
 * Reads AS range CSV files in the layout of `@ip-location-db/asn`:
 * `first address,last address,AS number,organisation`, one inclusive range a
 * line, IPv4 and IPv6 (one family per file or mixed), the organisation
 * optionally double-quoted with `""` for a quote. The shipped files hold
 * about 515,000 lines, so they are streamed: each chunk is parsed between
 * event-loop turns and a probe is never held up by more than one chunk.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { MAX_ORGANISATION_CHARS } from '@shared/enrichment';
import { AsnRangeTable, RangeColumnsBuilder, RangeOrderError } from './asnRangeTable';
import { EnrichmentDataError, fileProblem } from './enrichmentDataError';
import { parseIPv4, parseIPv6 } from './ipKey';

/** Chunk size: about 2,000 lines, parsed in a few milliseconds. */
const CHUNK_BYTES = 128 * 1024;
const MAX_LINE_CHARS = 4096;

export interface AsnCsvOptions {
  /** Rows to leave out (counted, not an error): shipped data drops reserved and private AS numbers. */
  keepAsn?: (asn: number) => boolean;
  /** What overlapping ranges mean: an error to report (default), or rows to leave out (see RangeColumnsBuilder.build). */
  onOverlap?: 'error' | 'drop';
}

export interface AsnCsvResult {
  table: AsnRangeTable;
  /** Rows left out by `keepAsn`. */
  droppedAsn: number;
  /** Rows left out because they overlap another (only with onOverlap 'drop'). */
  droppedOverlaps: number;
}

/** Parses one CSV line's fields into the builders; throws a reason string on a malformed line. */
class AsnRowSink {
  readonly v4 = new RangeColumnsBuilder(1);
  readonly v6 = new RangeColumnsBuilder(4);
  readonly organisations: string[] = [];
  private readonly orgIndex = new Map<string, number>();
  private readonly first = new Uint32Array(4);
  private readonly last = new Uint32Array(4);
  dropped = 0;

  constructor(private readonly keepAsn: ((asn: number) => boolean) | undefined) {}

  addLine(text: string, line: number): void {
    const c1 = text.indexOf(',');
    const c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : text.indexOf(',', c2 + 1);
    if (c3 < 0) throw new Error('expected 4 fields: first address,last address,AS number,organisation');
    const asn = parseAsn(text, c2 + 1, c3);
    const organisation = parseOrganisation(text, c3 + 1);
    const isV6 = text.lastIndexOf(':', c1) >= 0;
    let family: RangeColumnsBuilder;
    if (isV6) {
      if (!parseIPv6(text, this.first, 0, 0, c1))
        throw new Error(`first address "${text.slice(0, c1)}" is not an IP address`);
      if (!parseIPv6(text, this.last, 0, c1 + 1, c2))
        throw new Error(`last address "${text.slice(c1 + 1, c2)}" is not an IPv6 address like the first`);
      family = this.v6;
    } else {
      const a = parseIPv4(text, 0, c1);
      if (a < 0) throw new Error(`first address "${text.slice(0, c1)}" is not an IP address`);
      const b = parseIPv4(text, c1 + 1, c2);
      if (b < 0) throw new Error(`last address "${text.slice(c1 + 1, c2)}" is not an IPv4 address like the first`);
      this.first[0] = a;
      this.last[0] = b;
      family = this.v4;
    }
    if (!firstNotAfterLast(this.first, this.last, isV6 ? 4 : 1)) throw new Error('first address is after last address');
    if (this.keepAsn && !this.keepAsn(asn)) {
      this.dropped++;
      return;
    }
    family.add(this.first, 0, this.last, 0, asn, this.internOrganisation(organisation), line);
  }

  private internOrganisation(name: string): number {
    let index = this.orgIndex.get(name);
    if (index === undefined) {
      index = this.organisations.length;
      this.organisations.push(name);
      this.orgIndex.set(name, index);
    }
    return index;
  }
}

function firstNotAfterLast(first: Uint32Array, last: Uint32Array, words: number): boolean {
  for (let k = 0; k < words; k++) {
    const a = first[k] ?? 0;
    const b = last[k] ?? 0;
    if (a !== b) return a < b;
  }
  return true;
}

function parseAsn(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return badAsn(text, from, to);
    value = value * 10 + (c - 48);
  }
  if (to === from || value > 0xffffffff) return badAsn(text, from, to);
  return value;
}

function badAsn(text: string, from: number, to: number): never {
  throw new Error(`AS number "${text.slice(from, to)}" is not a whole number from 0 to 4294967295`);
}

/** The rest of the line from `from`: plain text, or one double-quoted field with "" for a quote. */
function parseOrganisation(text: string, from: number): string {
  let name: string;
  if (text.charCodeAt(from) === 34 /* " */) {
    if (text.length - from < 2 || text.charCodeAt(text.length - 1) !== 34)
      throw new Error('organisation opens a quote that does not close at the end of the line');
    const inner = text.slice(from + 1, -1);
    if (inner.replaceAll('""', '').includes('"')) throw new Error('organisation has a stray quote');
    name = inner.replaceAll('""', '"');
  } else {
    name = text.slice(from);
  }
  return name.length > MAX_ORGANISATION_CHARS ? name.slice(0, MAX_ORGANISATION_CHARS) : name;
}

/** Streams one file's lines into the sink, naming file and line in any error. */
async function readInto(file: string, sink: AsnRowSink): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  const take = (text: string): void => {
    line++;
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.length === 0) return;
    if (trimmed.length > MAX_LINE_CHARS)
      throw new EnrichmentDataError(file, line, `line longer than ${MAX_LINE_CHARS} characters`);
    try {
      sink.addLine(trimmed, line);
    } catch (error) {
      throw new EnrichmentDataError(file, line, (error as Error).message);
    }
  };
  try {
    const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = pending + decoder.write(chunk);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      pending = text.slice(start);
      if (pending.length > MAX_LINE_CHARS) take(pending);
    }
    const rest = pending + decoder.end();
    if (rest.length > 0) take(rest);
  } catch (error) {
    throw fileProblem(file, error);
  }
  if (line === 0) throw new EnrichmentDataError(file, undefined, 'file is empty');
}

/**
 * Loads AS ranges from one or more CSV files into one table. Rejects with an
 * EnrichmentDataError naming the file and line of the first problem.
 */
export async function loadAsnCsv(files: readonly string[], options: AsnCsvOptions = {}): Promise<AsnCsvResult> {
  const sink = new AsnRowSink(options.keepAsn);
  for (const file of files) await readInto(file, sink);
  const label = files.join(' + ');
  try {
    const v4 = await sink.v4.build(options.onOverlap);
    const v6 = await sink.v6.build(options.onOverlap);
    const table = new AsnRangeTable(v4.columns, v6.columns, sink.organisations);
    if (table.rangeCount === 0) throw new EnrichmentDataError(label, undefined, 'no usable ranges');
    return { table, droppedAsn: sink.dropped, droppedOverlaps: v4.dropped + v6.dropped };
  } catch (error) {
    // Lines are numbered per file; with one file (the user's case) the number is exact.
    if (error instanceof RangeOrderError) throw new EnrichmentDataError(label, error.line, error.message);
    throw error;
  }
}
