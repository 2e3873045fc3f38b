/**
 * Country lookups in a MaxMind DB (mmdb) file, read with mmdb-lib. Accepts the
 * ip-location-db record shape (`{ country_code }`) and MaxMind's
 * (`{ country: { iso_code } }`), so a GeoLite2 Country or City file also works.
 */
import { readFile } from 'node:fs/promises';
import { Reader, type Response } from 'mmdb-lib';
import { EnrichmentDataError, fileProblem } from './enrichmentDataError';
import { MmdbTree } from './mmdbTree';

/** Largest mmdb read into memory (the shipped one is 8 MB; GeoLite2 City is about 60 MB). */
const MAX_MMDB_BYTES = 256 * 1024 * 1024;

/** Decoded records by data offset, for mmdb-lib; a country file has a few hundred, so a bound only matters for city files. */
class RecordCache {
  private readonly records = new Map<string | number, unknown>();
  get(key: string | number): unknown {
    return this.records.get(key);
  }
  set(key: string | number, value: unknown): void {
    if (this.records.size >= 10_000) this.records.clear();
    this.records.set(key, value);
  }
}

interface CountryRecord {
  country_code?: unknown;
  country?: { iso_code?: unknown };
}

/** Country records a file may hold before the per-record memo starts over (a country file has a few hundred). */
const MEMO_LIMIT = 10_000;

export class CountryDb {
  /** Country code (or null: none) per data pointer: each record is decoded once. */
  private readonly byPointer = new Map<number, string | null>();

  private constructor(
    readonly file: string,
    private readonly reader: Reader<Response>,
    private readonly tree: MmdbTree,
  ) {}

  /** Reads and checks an mmdb file; rejects with an EnrichmentDataError naming it. */
  static async open(file: string): Promise<CountryDb> {
    let buffer: Buffer;
    try {
      buffer = await readFile(file);
    } catch (error) {
      throw fileProblem(file, error);
    }
    if (buffer.length > MAX_MMDB_BYTES) throw new EnrichmentDataError(file, undefined, 'file is larger than 256 MB');
    let reader: Reader<Response>;
    try {
      reader = new Reader<Response>(buffer, { cache: new RecordCache() });
    } catch (error) {
      throw new EnrichmentDataError(file, undefined, `not a MaxMind DB (mmdb) file: ${(error as Error).message}`);
    }
    const { ipVersion, binaryFormatMajorVersion } = reader.metadata;
    if (binaryFormatMajorVersion !== 2 || (ipVersion !== 4 && ipVersion !== 6))
      throw new EnrichmentDataError(
        file,
        undefined,
        `unsupported mmdb format ${binaryFormatMajorVersion}, IP version ${ipVersion}`,
      );
    let tree: MmdbTree;
    try {
      tree = new MmdbTree(buffer, reader.metadata);
    } catch (error) {
      throw new EnrichmentDataError(file, undefined, `damaged mmdb search tree: ${(error as Error).message}`);
    }
    return new CountryDb(file, reader, tree);
  }

  /** When the file was built, from its own metadata. */
  get buildDate(): Date {
    return this.reader.metadata.buildEpoch;
  }

  /**
   * The same answer as `lookup`, for an address already parsed: `v4` its
   * IPv4 value (also for an IPv4-mapped IPv6 address), or -1 and `key` its
   * four words. `text` is the address as mmdb-lib reads it (dotted quad for
   * IPv4), used only the first time a record is met.
   */
  lookupParsed(v4: number, key: Uint32Array, text: string): string | undefined {
    let pointer: number;
    try {
      pointer = v4 >= 0 ? this.tree.findV4(v4) : this.tree.findV6(key);
    } catch {
      return undefined; // a damaged tree: no answer rather than a crash in the middle of a trace
    }
    if (pointer === 0) return undefined;
    let code = this.byPointer.get(pointer);
    if (code === undefined) {
      code = this.lookup(text, v4 < 0) ?? null;
      if (this.byPointer.size >= MEMO_LIMIT) this.byPointer.clear();
      this.byPointer.set(pointer, code);
    }
    return code ?? undefined;
  }

  /** Upper-case ISO 3166 code for a valid IP literal, or undefined. */
  lookup(address: string, isV6: boolean): string | undefined {
    if (isV6 && this.reader.metadata.ipVersion === 4) return undefined;
    let record: CountryRecord | null;
    try {
      // Records are whatever the file holds; only the two known country fields are read.
      record = this.reader.get(address) as CountryRecord | null;
    } catch {
      // A damaged tree or data section: no answer rather than a crash in the middle of a trace.
      return undefined;
    }
    const code = record?.country_code ?? record?.country?.iso_code;
    if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) return undefined;
    return code.toUpperCase();
  }
}
