/**
 * Where the shipped databases live and how old they are. They come from npm
 * packages, resolved like any dependency (in a packaged app they sit in the
 * app's node_modules). Of each package only these files are used: the AS
 * package also carries `-num` variants of the same data, and the country
 * package separate IPv4 and IPv6 files the combined one already holds.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { SHIPPED_ASN_PACKAGE, SHIPPED_COUNTRY_PACKAGE } from '@shared/enrichmentSettings';

const ASN_FILES = ['asn-ipv4.csv', 'asn-ipv6.csv'] as const;
const COUNTRY_FILE = 'geo-whois-asn-country.mmdb';

export interface ShippedAsnData {
  files: string[];
  /** YYYY-MM-DD from the package version. */
  dataDate: string;
}

function packageDir(name: string): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: dirname(manifest), version };
}

/**
 * The data date an ip-location-db version carries: it ends in YYYYMMDDHH,
 * the UTC hour the data was built (2.3.2026061719 is 2026-06-17, 19:00).
 */
export function dataDateFromPackageVersion(version: string): string | undefined {
  const match = /\.(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return `${y}-${m}-${d}`;
}

/** The shipped AS CSV files; throws when the package is not installed. */
export function shippedAsnData(): ShippedAsnData {
  const { dir, version } = packageDir(SHIPPED_ASN_PACKAGE);
  const dataDate = dataDateFromPackageVersion(version);
  if (!dataDate) throw new Error(`${SHIPPED_ASN_PACKAGE}: version ${version} does not end in a YYYYMMDDHH date`);
  return { files: ASN_FILES.map((f) => join(dir, f)), dataDate };
}

/** The shipped country mmdb (its date comes from the file's own metadata). */
export function shippedCountryFile(): string {
  return join(packageDir(SHIPPED_COUNTRY_PACKAGE).dir, COUNTRY_FILE);
}

/** A Date as YYYY-MM-DD in UTC. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
