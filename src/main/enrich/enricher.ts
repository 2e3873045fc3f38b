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
  private readonly sources: EnrichmentSource[] = [];
  private readonly problems: string[] = [];
  private readonly cache = new Map<string, ResponderEnrichment>();
  private readonly key = new Uint32Array(4);

  constructor(private readonly options: EnricherOptions = {}) {}

  /** Loads every database once; later calls return the same promise. Never rejects. */
  load(): Promise<EnrichmentStatus> {
    this.loading ??= this.loadAll();
    return this.loading;
  }

  status(): EnrichmentStatus {
    return { state: this.state, sources: [...this.sources], problems: [...this.problems] };
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
    // mmdb readers take text; a v4-mapped address is asked as the IPv4 it carries.
    const text = mapped ? dottedQuad(v4) : address;
    for (const layer of this.countryLayers) {
      const code = layer.db.lookup(text, isV6);
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
    const [userAsn, userCountry, shippedAsn, shippedCountry] = await Promise.all([
      asnDb === undefined ? undefined : this.settle(loadUserAsn(asnDb)),
      geoDb === undefined ? undefined : this.settle(loadCountry(geoDb, 'user')),
      shipped ? this.settle(loadShippedAsn()) : undefined,
      shipped ? this.settle(loadCountry(undefined, 'shipped')) : undefined,
    ]);
    for (const asn of [userAsn, shippedAsn]) {
      if (!asn) continue;
      this.asnLayers.push(asn.layer);
      this.sources.push(asn.source);
    }
    for (const country of [userCountry, shippedCountry]) {
      if (!country) continue;
      this.countryLayers.push(country.layer);
      this.sources.push(country.source);
    }
    this.state = 'ready';
    return this.status();
  }

  private async settle<T>(work: Promise<T>): Promise<T | undefined> {
    try {
      return await work;
    } catch (error) {
      this.problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }
}

function dottedQuad(v4: number): string {
  return `${v4 >>> 24}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.${v4 & 255}`;
}

async function loadUserAsn(file: string): Promise<{ layer: AsnLayer; source: EnrichmentSource }> {
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

async function loadShippedAsn(): Promise<{ layer: AsnLayer; source: EnrichmentSource }> {
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

async function loadCountry(
  file: string | undefined,
  origin: DataOrigin,
): Promise<{ layer: CountryLayer; source: EnrichmentSource }> {
  const path = file ?? shippedCountryFile();
  const db = await CountryDb.open(path);
  const dataDate = isoDate(db.buildDate);
  return {
    layer: { origin, db, dataDate },
    source: { kind: 'country', origin, file: path, dataDate, dataDateBasis: 'mmdb-build-epoch' },
  };
}
