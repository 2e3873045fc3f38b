/**
 * Who owns a responder: its AS (number and organisation) and its country, and
 * which data said so. The records are self-contained (each names its data
 * date), so a trace file opened on another machine shows the same owners.
 * Pure contract: the databases themselves are read in the main process.
 */
import { z } from 'zod';

/** Where an answer came from: a database the user pointed at, or the data shipped with Hopscope. */
export const DATA_ORIGINS = ['user', 'shipped'] as const;
export type DataOrigin = (typeof DATA_ORIGINS)[number];

/**
 * How a data date was derived:
 * - `package-version`: the shipped npm package's version ends in YYYYMMDDHH (UTC);
 * - `mmdb-build-epoch`: the mmdb file's own metadata (`build_epoch`);
 * - `file-mtime`: a user CSV has no date inside, so its modification time.
 */
export const DATA_DATE_BASES = ['package-version', 'mmdb-build-epoch', 'file-mtime'] as const;
export type DataDateBasis = (typeof DATA_DATE_BASES)[number];

/** A data date as YYYY-MM-DD (UTC). */
const dataDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** Longest organisation name kept; longer names in a database are cut (the shipped data's longest is about 100). */
export const MAX_ORGANISATION_CHARS = 200;

export const asOwnerSchema = z.object({
  asn: z.number().int().min(0).max(0xffffffff),
  organisation: z.string().max(MAX_ORGANISATION_CHARS),
  origin: z.enum(DATA_ORIGINS),
  dataDate: dataDateSchema,
});
export type AsOwner = z.infer<typeof asOwnerSchema>;

export const countryOwnerSchema = z.object({
  /** ISO 3166-1 alpha-2, upper case. */
  code: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 two-letter code'),
  origin: z.enum(DATA_ORIGINS),
  dataDate: dataDateSchema,
});
export type CountryOwner = z.infer<typeof countryOwnerSchema>;

/** What is known about one responder address; an absent field means no data answered. */
export const responderEnrichmentSchema = z.object({
  as: asOwnerSchema.optional(),
  country: countryOwnerSchema.optional(),
});
export type ResponderEnrichment = z.infer<typeof responderEnrichmentSchema>;

export const ENRICHMENT_KINDS = ['asn', 'country'] as const;
export type EnrichmentKind = (typeof ENRICHMENT_KINDS)[number];

/** One database in use: what the UI's tooltip and About box say about the data. */
export const enrichmentSourceSchema = z.object({
  kind: z.enum(ENRICHMENT_KINDS),
  origin: z.enum(DATA_ORIGINS),
  /** Path of the file (for shipped CSV data, the IPv4 file; the IPv6 file sits beside it). */
  file: z.string(),
  dataDate: dataDateSchema,
  dataDateBasis: z.enum(DATA_DATE_BASES),
  /** Ranges loaded (CSV data only). */
  ranges: z.number().int().min(0).optional(),
});
export type EnrichmentSource = z.infer<typeof enrichmentSourceSchema>;

export const ENRICHMENT_STATES = ['idle', 'loading', 'ready'] as const;
export type EnrichmentState = (typeof ENRICHMENT_STATES)[number];

/** What the main process says about its AS and country data (for the UI, the About box, `--json`). */
export const enrichmentStatusSchema = z.object({
  state: z.enum(ENRICHMENT_STATES),
  /** Databases in use, user ones first. */
  sources: z.array(enrichmentSourceSchema),
  /** One sentence per database that could not be used, naming its file (and line). */
  problems: z.array(z.string()),
});
export type EnrichmentStatus = z.infer<typeof enrichmentStatusSchema>;

/**
 * Attribution the shipped data's licences ask for (CC BY 4.0: RouteViews,
 * DB-IP and NRO for the AS data; the country data is CC0 by its package.json
 * but built from NRO statistics, which its package also credits). Shown in
 * the README and the About box.
 */
export const DATA_CREDIT_LINKS = {
  routeViews: { label: 'RouteViews', url: 'https://www.routeviews.org/' },
  dbIp: { label: 'IP Geolocation by DB-IP', url: 'https://db-ip.com' },
  nro: { label: 'NRO', url: 'https://www.nro.net/' },
  ipLocationDb: { label: 'ip-location-db', url: 'https://github.com/sapics/ip-location-db' },
  ccBy4: { label: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
} as const;

export const ENRICHMENT_ATTRIBUTION = {
  text:
    'AS numbers and organisations: IP to ASN data by RouteViews (routeviews.org), ' +
    'IP to ASN Lite by DB-IP (db-ip.com) and RIR statistics by the NRO (nro.net), ' +
    'licensed under CC BY 4.0 and merged by the ip-location-db project. ' +
    'Countries: geo-whois-asn-country by ip-location-db (CC0), built from NRO statistics (nro.net, CC BY 4.0).',
  links: [
    DATA_CREDIT_LINKS.routeViews,
    DATA_CREDIT_LINKS.dbIp,
    DATA_CREDIT_LINKS.nro,
    DATA_CREDIT_LINKS.ipLocationDb,
    DATA_CREDIT_LINKS.ccBy4,
  ],
} as const;

/**
 * Whether an AS number can name a network on the public Internet. Reserved,
 * documentation and private numbers (RFC 6996, RFC 5398, RFC 7300, AS_TRANS)
 * in public data say nothing about who to call, so shipped data drops them;
 * a user's own database may use private numbers on purpose.
 */
export function isPublicAsn(asn: number): boolean {
  if (asn === 0 || asn === 23456) return false;
  if (asn >= 64496 && asn <= 131071) return false; // documentation, private 16-bit, 65535, documentation 32-bit, reserved
  if (asn >= 4200000000) return false; // private 32-bit and 4294967295
  return true;
}
