/**
 * The user's own AS and country databases: which files the engine asks
 * before the shipped data. One schema for the preferences file, the IPC
 * call that changes them and the settings form; the engine reads the files
 * (the renderer never does), so a path is only checked for shape here.
 */
import { z } from 'zod';
import { DATA_CREDIT_LINKS, ENRICHMENT_KINDS, type EnrichmentStatus } from './enrichment';

/** Longest path accepted (Linux PATH_MAX). */
export const MAX_DATABASE_PATH_CHARS = 4096;

/** Absolute on POSIX (`/…`) or Windows (`C:\…`, `\\server\…`); pure, so the renderer can check a typed path too. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** A database file: an absolute path, or null for none (the shipped data only). */
export function databasePathSchema(what: string) {
  return z
    .string()
    .min(1, { error: `${what} is empty` })
    .max(MAX_DATABASE_PATH_CHARS, { error: `${what} is longer than ${MAX_DATABASE_PATH_CHARS} characters` })
    .refine((p) => isAbsolutePath(p) && !p.includes('\0'), { error: `${what} must be absolute` })
    .nullable();
}

export const enrichmentSettingsSchema = z
  .object({
    /** AS ranges in the `--asn-db` CSV layout (first address,last address,AS number,organisation). */
    asnDbPath: databasePathSchema('AS database path'),
    /** A country mmdb (`--geo-db`). */
    geoDbPath: databasePathSchema('country database path'),
  })
  .strict();
export type EnrichmentSettings = z.infer<typeof enrichmentSettingsSchema>;

export const NO_USER_DATABASES: EnrichmentSettings = Object.freeze({ asnDbPath: null, geoDbPath: null });

/**
 * What applying settings did. A file that cannot be used leaves everything
 * as it was (the previous data keeps answering) and says why, one sentence
 * per file naming it and, for CSV, the line.
 */
export type EnrichmentSettingsResult =
  | { applied: true; settings: EnrichmentSettings; status: EnrichmentStatus }
  | { applied: false; settings: EnrichmentSettings; problems: string[] };

/** Which kind of file a file dialog asks for. */
export const databaseFileRequestSchema = z.object({ kind: z.enum(ENRICHMENT_KINDS) }).strict();

/** The npm packages the shipped data comes in (main loads them; the About box names them). */
export const SHIPPED_ASN_PACKAGE = '@ip-location-db/asn';
export const SHIPPED_COUNTRY_PACKAGE = '@ip-location-db/geo-whois-asn-country-mmdb';

/** Data set facts for the About box: what each shipped database is and the credit its licence asks for. */
export interface ShippedDataSet {
  kind: (typeof ENRICHMENT_KINDS)[number];
  title: string;
  /** The npm package it ships in. */
  packageName: string;
  licence: string;
  licenceUrl: string;
  /** Sentence the licence asks to show, and the sources it names. */
  credit: string;
  links: readonly { label: string; url: string }[];
}

export const SHIPPED_DATA_SETS: readonly ShippedDataSet[] = [
  {
    kind: 'asn',
    title: 'AS numbers and organisations',
    packageName: SHIPPED_ASN_PACKAGE,
    licence: 'CC BY 4.0',
    licenceUrl: DATA_CREDIT_LINKS.ccBy4.url,
    credit:
      'IP to ASN data by RouteViews and IP to ASN Lite by DB-IP, with RIR statistics by the NRO, merged by the ip-location-db project.',
    links: [
      DATA_CREDIT_LINKS.routeViews,
      DATA_CREDIT_LINKS.dbIp,
      DATA_CREDIT_LINKS.nro,
      DATA_CREDIT_LINKS.ipLocationDb,
    ],
  },
  {
    kind: 'country',
    title: 'Countries',
    packageName: SHIPPED_COUNTRY_PACKAGE,
    licence: 'CC0',
    licenceUrl: 'https://creativecommons.org/publicdomain/zero/1.0/',
    credit: 'geo-whois-asn-country by the ip-location-db project, built from NRO statistics.',
    links: [DATA_CREDIT_LINKS.ipLocationDb, DATA_CREDIT_LINKS.nro],
  },
];
