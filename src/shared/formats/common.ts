/**
 * Helpers shared by the mtr-compatible writers and the importers. Pure: the
 * renderer imports these too.
 */
import type { Hop, TraceDocument } from '../traceFile';

/** Local host name shown where mtr prints its own host (`HOST:`, `src`); a document does not record one. */
export const DEFAULT_LOCAL_HOST = 'localhost';

export interface MtrStyleOptions {
  /** Name for `HOST:` / `src`; defaults to {@link DEFAULT_LOCAL_HOST}. */
  localHost?: string;
  /** Show `name (address)` like `mtr --show-ips` when a name is known. */
  showIps?: boolean;
}

/**
 * printf("%.Nf") for non-negative numbers. JS toFixed rounds exact binary
 * ties (0.25 ms = 250 µs) up, glibc rounds them to even; match glibc.
 */
export function cFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  const scale = 10 ** digits;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  // An exact tie has a dyadic value whose scaled form ends in exactly .5.
  if (scaled - floor === 0.5 && Number.isInteger(value * 2 ** (digits + 1))) {
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (even / scale).toFixed(digits);
  }
  return value.toFixed(digits);
}

/** printf("%.5g") followed by jansson's rule of appending ".0" to integral reals. */
export function jsonReal(value: number): string {
  if (!Number.isFinite(value)) return '0.0';
  if (value === 0) return '0.0';
  const precision = 5;
  const exp = Number(value.toExponential(precision - 1).split('e')[1]);
  let text: string;
  if (exp < -4 || exp >= precision) {
    const [mantissa = '0', e = '0'] = value.toExponential(precision - 1).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const n = Number(e);
    text = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  } else {
    text = cFixed(value, Math.max(0, precision - 1 - exp));
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  }
  if (!/[.e]/.test(text)) text += '.0';
  return text;
}

/** An RTT as mtr prints it: to 0.1 ms. */
export const mtrMs = (value: number): string => cFixed(value, 1);

/** printf("%0NX"): mtr's upper-case hex fields (TOS, bit pattern). */
export const mtrHex = (value: number, digits: number): string => value.toString(16).toUpperCase().padStart(digits, '0');

/** The rounds a report says it ran (mtr's `tests`): the count asked for, else the rounds run, else the most sent. */
export function mtrTestCount(doc: Pick<TraceDocument, 'options' | 'rounds' | 'hops'>): number {
  return doc.options.count ?? doc.rounds ?? Math.max(0, ...doc.hops.map((h) => h.sent));
}

/** Rounds to microsecond resolution, which is all mtr-packet measures. */
export function roundMs(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** How mtr names a responder: the resolved name when there is one, else the address. */
export function displayName(address: string, hostname: string | null, showIps = false): string {
  if (hostname === null || hostname === '' || hostname === address) return address;
  return showIps ? `${hostname} (${address})` : hostname;
}

/** The hop's row name: its first (most answering) responder, or `???` when silent. */
export function hopName(hop: Hop, showIps = false): string {
  const first = hop.hosts[0];
  return first ? displayName(first.address, first.hostname, showIps) : '???';
}

/**
 * The hops mtr would list (its net_max): from the first TTL up to the
 * destination, or, when the destination never answered, up to one silent hop
 * past the last hop that did.
 */
export function reportHops(doc: Pick<TraceDocument, 'hops' | 'target'>): Hop[] {
  // A TTL no longer probed (past a closer end of the path) is history, not part of the path reported.
  const hops = doc.hops.filter((h) => h.onPath !== false).sort((a, b) => a.ttl - b.ttl);
  const target = doc.target.address;
  if (target !== null) {
    const at = hops.findIndex((h) => h.hosts.some((host) => host.address === target));
    if (at >= 0) return hops.slice(0, at + 1);
  }
  let lastAnswering = -1;
  hops.forEach((h, i) => {
    if (h.hosts.length > 0 || h.received > 0) lastAnswering = i;
  });
  // mtr would print nothing for a wholly silent path; one `???` row says more.
  return hops.slice(0, Math.max(1, lastAnswering + 2));
}

/** Per-TTL figures as mtr shows them: all responders of the TTL pooled together. */
export interface HopSummary {
  sent: number;
  received: number;
  lossPct: number;
  /** Completed probes without a reply (mtr's Drop). */
  dropped: number;
  lastMs: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  /** Sample standard deviation over every reply of the TTL. */
  stdevMs: number | null;
}

export function summarizeHop(hop: Hop): HopSummary {
  const measured = hop.hosts.filter((h) => h.received > 0 && h.avgMs !== null);
  let n = 0;
  let sum = 0;
  let best: number | null = null;
  let worst: number | null = null;
  for (const h of measured) {
    n += h.received;
    sum += h.received * (h.avgMs ?? 0);
    if (h.bestMs !== null && (best === null || h.bestMs < best)) best = h.bestMs;
    if (h.worstMs !== null && (worst === null || h.worstMs > worst)) worst = h.worstMs;
  }
  const avg = n > 0 ? sum / n : null;
  let stdev: number | null = null;
  if (avg !== null) {
    // Pool per-responder sample variances back into one sum of squares.
    let m2 = 0;
    for (const h of measured) {
      const s = h.stdevMs ?? 0;
      const mean = h.avgMs ?? 0;
      m2 += s * s * (h.received - 1) + h.received * (mean - avg) ** 2;
    }
    stdev = n > 1 ? Math.sqrt(Math.max(0, m2) / (n - 1)) : 0;
  }

  let last: number | null = null;
  for (let i = hop.samples.length - 1; i >= 0; i--) {
    const s = hop.samples[i];
    if (s && s.rttMs !== null) {
      last = s.rttMs;
      break;
    }
  }
  if (last === null) last = hop.hosts[0]?.lastMs ?? null;

  const lossFraction = Math.min(1, Math.max(0, hop.lossPct / 100));
  let dropped: number;
  if (lossFraction === 0) dropped = 0;
  else if (lossFraction === 1 || hop.received === 0) dropped = Math.max(0, hop.sent - hop.received);
  else dropped = Math.max(0, Math.round(hop.received / (1 - lossFraction)) - hop.received);

  return {
    sent: hop.sent,
    received: hop.received,
    lossPct: hop.lossPct,
    dropped,
    lastMs: last,
    avgMs: avg,
    bestMs: best,
    worstMs: worst,
    stdevMs: stdev,
  };
}

/** mtr's iso_time(): `YYYY-MM-DDTHH:MM:SS+hhmm`, in the offset the document was written with. */
export function mtrIsoTime(isoDateTime: string): string {
  const date = new Date(isoDateTime);
  if (Number.isNaN(date.getTime())) return isoDateTime;
  const m = /([+-])(\d\d):?(\d\d)$/.exec(isoDateTime);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date(date.getTime() + offsetMin * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const abs = Math.abs(offsetMin);
  return (
    `${local.getUTCFullYear()}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())}` +
    `T${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}` +
    `${offsetMin < 0 ? '-' : '+'}${p(Math.floor(abs / 60))}${p(abs % 60)}`
  );
}

/** When the measurement started: the session's start, else when the document was written; null when unknown. */
export function startTime(doc: Pick<TraceDocument, 'startedAt' | 'createdAt'>): string | null {
  return doc.startedAt ?? doc.createdAt ?? null;
}

/** Unix seconds of an ISO date-time (0 when unparseable). */
export function unixSeconds(isoDateTime: string): number {
  const t = Date.parse(isoDateTime);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}
