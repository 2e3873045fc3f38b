/**
 * The one conversion of mtr's per-hop statistics (what `--json`, `--csv` and
 * `--xml` all carry) into a document. What mtr does not record stays absent:
 * its reports never say which protocol, interval, timeout or TTL range was
 * used, and only CSV carries a start time.
 */
import { ipVersionOf, isIpLiteral, MTR_PACKET_MAX_SIZE } from '../probe';
import { type Hop, type HostStats, type TraceDocument, TRACE_FORMAT, TRACE_FORMAT_VERSION } from '../traceFile';
import { type ConvertResult, validated } from './validated';

/** One hop of an mtr report, figures in ms, loss in percent. */
export interface MtrHub {
  count: number;
  host: string;
  'Loss%'?: number;
  Snt?: number;
  Rcv?: number;
  Drop?: number;
  Last?: number;
  Avg?: number;
  Best?: number;
  Wrst?: number;
  StDev?: number;
  Javg?: number;
}

export type MtrStatKey = Exclude<keyof MtrHub, 'count' | 'host'>;

/** mtr's column titles (`-o` field names as printed) of the statistics an import reads. */
export const MTR_STAT_TITLES: Readonly<Record<string, MtrStatKey>> = {
  'Loss%': 'Loss%',
  Snt: 'Snt',
  Rcv: 'Rcv',
  Drop: 'Drop',
  Last: 'Last',
  Avg: 'Avg',
  Best: 'Best',
  Wrst: 'Wrst',
  StDev: 'StDev',
  Javg: 'Javg',
};

/** A responder named without figures of its own (a further ECMP responder of a report). */
export function unmeasuredHost(name: string): HostStats {
  return {
    ...splitHost(name),
    received: 0,
    lastMs: null,
    avgMs: null,
    bestMs: null,
    worstMs: null,
    stdevMs: null,
    jitterMs: null,
    mpls: [],
  };
}

/** The report's header: what mtr itself recorded about the run. */
export interface MtrReportHeader {
  dst: string;
  /** The machine mtr ran on (`src` / `SRC`). */
  src?: string;
  tos?: number;
  tests?: number;
  psize?: string | number;
  bitpattern?: string | number;
  /** ISO date-time the run started, when the format records it (CSV). */
  startedAt?: string;
  /** `mtr` version as the file says it (`0.95`), or a range when only the shape tells. */
  toolVersion: string;
}

/** Converts a validated mtr report. `where` names the hub list for error messages (`report.hubs`). */
export function mtrReportToDocument(header: MtrReportHeader, hubs: MtrHub[], where: string): ConvertResult {
  const seen = new Set<number>();
  const hops: Hop[] = [];
  for (const [i, hub] of hubs.entries()) {
    if (seen.has(hub.count)) return { ok: false, error: `${where}[${i}].count: duplicate hop ${hub.count}` };
    seen.add(hub.count);
    hops.push(hubToHop(hub));
  }
  hops.sort((a, b) => a.ttl - b.ttl);

  const dst = header.dst;
  const addresses = hops.flatMap((h) => h.hosts.map((x) => x.address));
  const last = hops[hops.length - 1]?.hosts[0];
  const reached = last !== undefined && (last.address === dst || last.hostname?.toLowerCase() === dst.toLowerCase());
  const targetAddress = isIpLiteral(dst) ? dst : reached && last && isIpLiteral(last.address) ? last.address : null;
  const ipVersion =
    (targetAddress ? ipVersionOf(targetAddress) : null) ??
    addresses.map((a) => ipVersionOf(a)).find((v) => v !== null) ??
    null;
  const size = parseSmallInt(header.psize, 0, MTR_PACKET_MAX_SIZE);
  const bitPattern = parseSmallInt(header.bitpattern, 0, 255);
  const tests = header.tests;
  // Names prove reverse DNS was on; bare addresses prove nothing (names may just be missing).
  const named = hops.some((h) => h.hosts.some((x) => x.hostname !== null));

  const doc: TraceDocument = {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    ...(header.startedAt !== undefined ? { startedAt: header.startedAt } : {}),
    tool: { name: 'mtr', version: header.toolVersion, mtrPacketVersion: null },
    ...(header.src !== undefined && header.src !== '' ? { host: header.src } : {}),
    target: { input: dst, address: targetAddress, ipVersion },
    options: {
      ...(tests !== undefined && tests >= 1 ? { count: tests } : {}),
      ...(size !== undefined ? { size } : {}),
      ...(bitPattern !== undefined ? { bitPattern } : {}),
      ...(header.tos !== undefined && header.tos <= 255 ? { tos: header.tos } : {}),
      ...(named ? { dns: true } : {}),
    },
    destinationReached: reached,
    ...(tests !== undefined ? { rounds: tests } : {}),
    hops,
  };
  return validated(doc);
}

function hubToHop(hub: MtrHub): Hop {
  const sent = hub.Snt ?? 0;
  let lossPct = hub['Loss%'];
  if (lossPct === undefined) {
    const done = hub.Rcv !== undefined && hub.Drop !== undefined ? hub.Rcv + hub.Drop : sent;
    lossPct = hub.Rcv !== undefined && done > 0 ? 100 * (1 - hub.Rcv / done) : 0;
  }
  const received = Math.min(sent, Math.max(0, hub.Rcv ?? Math.round(sent * (1 - lossPct / 100))));

  const hosts: HostStats[] = [];
  if (hub.host !== '???') {
    const answered = received > 0;
    const stat = (v: number | undefined) => (answered && v !== undefined ? v : null);
    hosts.push({
      ...splitHost(hub.host),
      received,
      lastMs: stat(hub.Last),
      avgMs: stat(hub.Avg),
      bestMs: stat(hub.Best),
      worstMs: stat(hub.Wrst),
      stdevMs: stat(hub.StDev),
      jitterMs: stat(hub.Javg),
      mpls: [],
    });
  }
  return { ttl: hub.count, sent, received, lossPct, hosts, samples: [] };
}

/** `name`, `address`, or `name (address)` as `mtr --show-ips` prints it. */
export function splitHost(host: string): { address: string; hostname: string | null } {
  const m = /^(.+) \(([^()\s]+)\)$/.exec(host);
  if (m && m[1] && m[2] && isIpLiteral(m[2])) return { address: m[2], hostname: m[1] };
  // Without an address mtr shows only the name: keep it as both.
  return isIpLiteral(host) ? { address: host, hostname: null } : { address: host, hostname: host };
}

/** psize "64" / bitpattern "0x00"; randomised values ("rand(...)") have no single number. */
function parseSmallInt(v: string | number | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const t = String(v).trim();
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(t)) n = Number.parseInt(t.slice(2), 16);
  else if (/^\d+$/.test(t)) n = Number(t);
  else return undefined;
  return n >= min && n <= max ? n : undefined;
}
