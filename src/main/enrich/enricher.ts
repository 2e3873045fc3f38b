/**
 * Who owns each responder: AS number, organisation and country, offline.
 *
 * Loading is lazy and asynchronous (the first lookup, or `load()`, starts it)
 * and streams the CSVs a chunk per event-loop turn, so neither start-up nor a
 * probe waits on it. Once loaded, a lookup is synchronous and cached per
 * address. User databases answer first, the shipped ones second; shipped data
 * answers only for globally routable addresses, so private, CGNAT, loopback,
 * link-local, benchmarking and documentation addresses keep their address
 * class and never get a public AS or country, while a user's own database may
 * map them (RFC 6996 private ASes). A database that fails to load is reported
 * in `status().problems` and simply left out.
 */
import { stat } from 'node:fs/promises';
import {
  isPublicAsn,
  type AsOwner,
  type CountryOwner,
  type DataOrigin,
  type EnrichmentSource,
  type EnrichmentState,
  type EnrichmentStatus,
  type ResponderEnrichment,
} from '@shared/enrichment';
import type { AsnRange, AsnRangeTable } from './asnRangeTable';
import { loadAsnCsv } from './asnCsv';
import { CountryDb } from './countryDb';
import { fileProblem } from './enrichmentDataError';
import { isGlobalAddress } from './globalAddressGuard';
import { isV4Mapped, parseIPv4, parseIPv6 } from './ipKey';
import { isoDate, shippedAsnData, shippedCountryFile } from './shippedData';

export interface EnricherOptions {
  /** `--asn-db FILE`: AS ranges in the shipped CSV layout, consulted before the shipped data. */
  asnDb?: string;
  /** `--geo-db FILE`: a country mmdb, consulted before the shipped data. */
  geoDb?: string;
  /** Use the shipped databases (default true). */
  shipped?: boolean;
}

interface AsnLayer {
  origin: DataOrigin;
  table: AsnRangeTable;
  dataDate: string;
}

interface CountryLayer {
  origin: DataOrigin;
  db: CountryDb;
  dataDate: string;
}

const CACHE_LIMIT = 4096;
const NOTHING: ResponderEnrichment = Object.freeze({});

export class Enricher {
  private state: EnrichmentState = 'idle';
  private loading: Promise<EnrichmentStatus> | undefined;
  private asnLayers: AsnLayer[] = [];
  private countryLayers: CountryLayer[] = [];
  /** Loaded data per origin; user data is replaced whole by `useUserDatabases`. */
  private user: LoadedData = { asn: undefined, country: undefined, problems: [] };
  private shipped: LoadedData = { asn: undefined, country: undefined, problems: [] };
  private readonly cache = new Map<string, ResponderEnrichment>();
  private readonly key = new Uint32Array(4);
  /** Reconfigurations run one after another, each on the data the previous one left. */
  private switching: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EnricherOptions = {}) {}

  /** Loads every database once; later calls return the same promise. Never rejects. */
  load(): Promise<EnrichmentStatus> {
    this.loading ??= this.loadAll();
    return this.loading;
  }

  status(): EnrichmentStatus {
    const sources: EnrichmentSource[] = [];
    for (const loaded of [this.user.asn, this.shipped.asn, this.user.country, this.shipped.country]) {
      if (loaded) sources.push(loaded.source);
    }
    return { state: this.state, sources, problems: [...this.user.problems, ...this.shipped.problems] };
  }

  /**
   * Replaces the user's databases (undefined: none) once both files load.
   * If either cannot be used nothing changes: the previous data keeps
   * answering and the problems (file, line, reason) come back. Lookups
   * after a successful switch see the new data (the cache is emptied).
   */
  useUserDatabases(files: { asnDb?: string | undefined; geoDb?: string | undefined }): Promise<UserDataResult> {
    const next = this.switching.then(async (): Promise<UserDataResult> => {
      await this.load();
      const user = await loadUserData(files.asnDb, files.geoDb);
      if (user.problems.length > 0) return { ok: false, problems: user.problems };
      this.user = user;
      this.rebuildLayers();
      return { ok: true, status: this.status() };
    });
    this.switching = next;
    return next;
  }

  /**
   * What the databases say about one address. Undefined while the data is
   * still loading (the first call starts the load; ask again after `load()`
   * resolves); `{}` when nothing is known or the text is not an IP address.
   * Results are cached and shared between callers, so they are frozen.
   */
  lookup(address: string): ResponderEnrichment | undefined {
    if (this.state !== 'ready') {
      void this.load();
      return undefined;
    }
    let result = this.cache.get(address);
    if (result === undefined) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      result = this.resolve(address);
      this.cache.set(address, result);
    }
    return result;
  }

  private resolve(address: string): ResponderEnrichment {
    const key = this.key;
    let v4 = parseIPv4(address);
    let isV6 = false;
    let mapped = false;
    if (v4 < 0) {
      if (!parseIPv6(address, key)) return NOTHING;
      mapped = isV4Mapped(key);
      if (mapped) v4 = key[3] ?? 0;
      else isV6 = true;
    }
    // Asked only when shipped data has an answer, which special-purpose space seldom has.
    // (No closures here: this is the hot path, and bundlers may wrap each one per call.)
    let global: boolean | undefined;
    const result: ResponderEnrichment = {};
    for (const layer of this.asnLayers) {
      const range: AsnRange | undefined = isV6 ? layer.table.lookupV6(key) : layer.table.lookupV4(v4);
      if (range === undefined) continue;
      if (layer.origin === 'shipped' && !(global ??= isGlobalAddress(address, v4, key))) continue;
      const owner: AsOwner = {
        asn: range.asn,
        organisation: range.organisation,
        origin: layer.origin,
        dataDate: layer.dataDate,
      };
      result.as = Object.freeze(owner);
      break;
    }
    // A v4-mapped address is asked as the IPv4 it carries (mmdb-lib, on a record's first use, reads text).
    const text = mapped ? dottedQuad(v4) : address;
    for (const layer of this.countryLayers) {
      const code = layer.db.lookupParsed(isV6 ? -1 : v4, key, text);
      if (code === undefined) continue;
      if (layer.origin === 'shipped' && !(global ??= isGlobalAddress(address, v4, key))) continue;
      const owner: CountryOwner = { code, origin: layer.origin, dataDate: layer.dataDate };
      result.country = Object.freeze(owner);
      break;
    }
    return Object.freeze(result);
  }

  private async loadAll(): Promise<EnrichmentStatus> {
    this.state = 'loading';
    const { asnDb, geoDb, shipped = true } = this.options;
    // Each database loads on its own; one failing leaves the others in use.
    [this.user, this.shipped] = await Promise.all([
      loadUserData(asnDb, geoDb),
      shipped ? loadData(loadShippedAsn(), loadCountry(undefined, 'shipped')) : loadData(undefined, undefined),
    ]);
    this.rebuildLayers();
    this.state = 'ready';
    return this.status();
  }

  /** The lookup order: user data first, shipped second; old answers are forgotten. */
  private rebuildLayers(): void {
    this.asnLayers = [this.user.asn, this.shipped.asn].flatMap((l) => (l ? [l.layer] : []));
    this.countryLayers = [this.user.country, this.shipped.country].flatMap((l) => (l ? [l.layer] : []));
    this.cache.clear();
  }
}

export type UserDataResult = { ok: true; status: EnrichmentStatus } | { ok: false; problems: string[] };

interface Loaded<L> {
  layer: L;
  source: EnrichmentSource;
}

interface LoadedData {
  asn: Loaded<AsnLayer> | undefined;
  country: Loaded<CountryLayer> | undefined;
  /** One sentence per database that could not be used. */
  problems: string[];
}

async function loadData(
  asn: Promise<Loaded<AsnLayer>> | undefined,
  country: Promise<Loaded<CountryLayer>> | undefined,
): Promise<LoadedData> {
  const problems: string[] = [];
  const settle = <T>(work: Promise<T> | undefined): Promise<T | undefined> | undefined =>
    work?.catch((error: unknown) => {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    });
  const [a, c] = await Promise.all([settle(asn), settle(country)]);
  return { asn: a, country: c, problems };
}

function loadUserData(asnDb: string | undefined, geoDb: string | undefined): Promise<LoadedData> {
  return loadData(
    asnDb === undefined ? undefined : loadUserAsn(asnDb),
    geoDb === undefined ? undefined : loadCountry(geoDb, 'user'),
  );
}

function dottedQuad(v4: number): string {
  return `${v4 >>> 24}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.${v4 & 255}`;
}

async function loadUserAsn(file: string): Promise<Loaded<AsnLayer>> {
  let modified: Date;
  try {
    modified = (await stat(file)).mtime;
  } catch (error) {
    throw fileProblem(file, error);
  }
  const { table } = await loadAsnCsv([file]);
  const dataDate = isoDate(modified);
  return {
    layer: { origin: 'user', table, dataDate },
    source: {
      kind: 'asn',
      origin: 'user',
      file,
      dataDate,
      dataDateBasis: 'file-mtime',
      ranges: table.rangeCount,
    },
  };
}

async function loadShippedAsn(): Promise<Loaded<AsnLayer>> {
  const { files, dataDate } = shippedAsnData();
  const { table } = await loadAsnCsv(files, { keepAsn: isPublicAsn, onOverlap: 'drop' });
  return {
    layer: { origin: 'shipped', table, dataDate },
    source: {
      kind: 'asn',
      origin: 'shipped',
      file: files[0] ?? '',
      dataDate,
      dataDateBasis: 'package-version',
      ranges: table.rangeCount,
    },
  };
}

async function loadCountry(file: string | undefined, origin: DataOrigin): Promise<Loaded<CountryLayer>> {
  const path = file ?? shippedCountryFile();
  const db = await CountryDb.open(path);
  const dataDate = isoDate(db.buildDate);
  return {
    layer: { origin, db, dataDate },
    source: { kind: 'country', origin, file: path, dataDate, dataDateBasis: 'mmdb-build-epoch' },
  };
}
