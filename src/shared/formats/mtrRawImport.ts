/**
 * Import of `mtr --raw`: every event of the run, one per line, with the hop
 * as a 0-based index (`x IDX SEQ` a probe sent, `h IDX ADDR` the responder
 * at that hop, `d IDX NAME` its name, `p IDX USEC [SEQ]` a reply after USEC
 * microseconds; with mtr -e, `m IDX LABEL TC S TTL` an MPLS label of the
 * responder just named). Every sample is kept. The format records neither the
 * target nor any time: the target is taken to be the last responder, and
 * the samples' times are unknown (0).
 */
import { ipVersionOf, isIpLiteral, type MplsLabel } from '../probe';
import {
  type Hop,
  type HostStats,
  type Sample,
  type TraceDocument,
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
} from '../traceFile';
import { type ConvertResult, validated } from './validated';
import { MAX_HOPS } from '../limits';

const LINE = /^([xhpdm]) (\d{1,3}) (\S.*)$/;

/** True when every non-empty line is a raw event (the first few are checked; the parser checks them all). */
export function looksLikeMtrRaw(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  return lines.length > 0 && lines.slice(0, 20).every((l) => LINE.test(l));
}

interface HopEvents {
  sentSeqs: Map<string, number>;
  sent: number;
  address: string | null;
  samples: Sample[];
  names: Map<string, string>;
  /** Each responder's MPLS labels, as the `m` lines after its latest `h` line list them. */
  mpls: Map<string, MplsLabel[]>;
}

/** Validates and converts an mtr raw log. Never throws. */
export function parseMtrRaw(text: string): ConvertResult {
  const hops = new Map<number, HopEvents>();
  const fail = (line: number, message: string): ConvertResult => ({ ok: false, error: `line ${line}: ${message}` });
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line === '') continue;
    const m = LINE.exec(line);
    if (!m)
      return fail(i + 1, `not an mtr raw event (expected "x|h|d|p HOP ..."): ${JSON.stringify(line.slice(0, 40))}`);
    const [, kind, idxText, rest = ''] = m;
    const idx = Number(idxText);
    if (idx > 254) return fail(i + 1, `hop index ${idx} is beyond TTL 255`);
    let hop = hops.get(idx);
    if (!hop) {
      if (hops.size >= MAX_HOPS) return fail(i + 1, `more than ${MAX_HOPS} hops`);
      hop = { sentSeqs: new Map(), sent: 0, address: null, samples: [], names: new Map(), mpls: new Map() };
      hops.set(idx, hop);
    }
    if (kind === 'x') {
      hop.sentSeqs.set(rest.trim(), hop.sent);
      hop.samples.push({ round: hop.sent, at: 0, result: 'no-reply', address: null, rttMs: null });
      hop.sent++;
    } else if (kind === 'h') {
      if (!isIpLiteral(rest.trim())) return fail(i + 1, `expected an address, found ${JSON.stringify(rest)}`);
      hop.address = rest.trim();
      hop.mpls.set(hop.address, []);
    } else if (kind === 'm') {
      const label = mplsLabel(rest);
      if (label === null) return fail(i + 1, `expected "LABEL TC S TTL", found ${JSON.stringify(rest.slice(0, 40))}`);
      if (hop.address === null) return fail(i + 1, `an MPLS label at hop index ${idx} before any "h" line`);
      hop.mpls.get(hop.address)?.push(label);
    } else if (kind === 'd') {
      if (hop.address !== null) hop.names.set(hop.address, rest.trim());
    } else {
      const [usec = '', seq] = rest.trim().split(' ');
      if (!/^\d+$/.test(usec)) return fail(i + 1, `expected microseconds, found ${JSON.stringify(usec)}`);
      if (hop.address === null)
        return fail(i + 1, `a reply at hop index ${idx} before any "h" line named its responder`);
      const round = seq !== undefined ? hop.sentSeqs.get(seq) : undefined;
      const reply: Sample = {
        round: round ?? hop.samples.filter((s) => s.rttMs !== null).length,
        at: 0,
        result: 'ttl-expired',
        address: hop.address,
        rttMs: Number(usec) / 1000,
      };
      // Logs without "x" lines (older mtr) have no probe to settle: the reply stands alone.
      const at = round !== undefined ? hop.samples.findIndex((s) => s.round === round && s.rttMs === null) : -1;
      if (at >= 0) hop.samples[at] = reply;
      else hop.samples.push(reply);
    }
  }
  if (hops.size === 0) return { ok: false, error: 'the raw log has no events' };

  const ordered = [...hops.entries()].sort((a, b) => a[0] - b[0]);
  // mtr probes one TTL past the destination in its first round, so the destination answers twice in a row.
  const answering = ordered.filter(([, h]) => h.samples.some((s) => s.rttMs !== null));
  const lastEntry = answering[answering.length - 1]?.[1];
  const destination = lastEntry?.samples.find((s) => s.address !== null)?.address ?? null;
  const firstAt =
    destination === null ? -1 : answering.findIndex(([, h]) => h.samples.some((s) => s.address === destination));
  const reached = destination !== null && answering.length - firstAt >= 2;

  const docHops: Hop[] = ordered.map(([idx, h]) => toHop(idx + 1, h, reached ? destination : null));
  const name =
    destination !== null ? [...hops.values()].find((h) => h.names.has(destination))?.names.get(destination) : undefined;
  const doc: TraceDocument = {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    tool: { name: 'mtr', version: 'unknown', mtrPacketVersion: null },
    target: {
      input: name ?? destination ?? '???',
      address: reached ? destination : null,
      ipVersion: destination !== null ? ipVersionOf(destination) : null,
    },
    options: {
      ...(hops.size > 0 && [...hops.values()].some((h) => h.names.size > 0) ? { dns: true } : {}),
    },
    destinationReached: reached,
    rounds: Math.max(0, ...[...hops.values()].map((h) => h.sent)),
    hops: docHops,
  };
  if (destination === null) return { ok: false, error: 'no hop answered, so the log does not say what was traced' };
  return validated(doc);
}

function toHop(ttl: number, h: HopEvents, destination: string | null): Hop {
  const samples = h.samples.map((s) =>
    s.address !== null && s.address === destination ? { ...s, result: 'reply' as const } : s,
  );
  const byAddress = new Map<string, number[]>();
  for (const s of samples) {
    if (s.address === null || s.rttMs === null) continue;
    const list = byAddress.get(s.address) ?? [];
    list.push(s.rttMs);
    byAddress.set(s.address, list);
  }
  const hosts: HostStats[] = [...byAddress.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([address, rtts]) => ({
      address,
      hostname: h.names.get(address) ?? null,
      received: rtts.length,
      ...rttFigures(rtts),
      mpls: h.mpls.get(address) ?? [],
    }));
  const received = hosts.reduce((n, x) => n + x.received, 0);
  const sent = Math.max(h.sent, received);
  return { ttl, sent, received, lossPct: sent > 0 ? (100 * (sent - received)) / sent : 0, hosts, samples };
}

/** The figures of one responder from all its RTTs (sample standard deviation, as mtr). */
function rttFigures(
  rtts: number[],
): Pick<HostStats, 'lastMs' | 'avgMs' | 'bestMs' | 'worstMs' | 'stdevMs' | 'jitterMs'> {
  const n = rtts.length;
  const avg = rtts.reduce((a, b) => a + b, 0) / n;
  const squares = rtts.reduce((a, b) => a + (b - avg) ** 2, 0);
  const steps = rtts.slice(1).map((r, i) => Math.abs(r - (rtts[i] ?? r)));
  return {
    lastMs: rtts[n - 1] ?? null,
    avgMs: avg,
    bestMs: Math.min(...rtts),
    worstMs: Math.max(...rtts),
    stdevMs: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    jitterMs: steps.length > 0 ? steps.reduce((a, b) => a + b, 0) / steps.length : 0,
  };
}

/** `LABEL TC S TTL` as mtr prints them; null when out of range. */
function mplsLabel(text: string): MplsLabel | null {
  const m = /^(\d{1,7}) ([0-7]) ([01]) (\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const [label, trafficClass, s, ttl] = m.slice(1).map(Number) as [number, number, number, number];
  if (label > 0xfffff || ttl > 255) return null;
  return { label, trafficClass, bottomOfStack: s === 1, ttl };
}
