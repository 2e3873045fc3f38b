/**
 * A recorded session's window as a `hopscope.trace` document, so the report,
 * JSON and CSV writers print a window exactly as they print a live trace.
 */
import { buildTraceDocument } from '@shared/traceDocument';
import { windowHostStats } from '@shared/storedSessions';
import { traceOptionsSchema } from '@shared/traceOptions';
import type { SessionSummary } from '@shared/session';
import type { Hop, TraceDocument } from '@shared/traceFile';
import type { ResponderEnrichment } from '@shared/enrichment';
import type { HistoryStore, StoredSessionRow } from './historyStore';
import type { HopWindowStats, TimeWindow, WindowDetail, WindowStats } from './historyQueries';

export interface WindowDocument {
  document: TraceDocument;
  stats: WindowStats;
}

function toHop(
  hop: HopWindowStats,
  stats: WindowStats,
  hostnames: Map<string, string | null>,
  owners: Map<string, ResponderEnrichment>,
): Hop {
  return {
    ttl: hop.ttl,
    sent: hop.sent,
    received: hop.received,
    lossPct: hop.lossPct,
    hosts: hop.hosts.map((h) =>
      windowHostStats(h, { hostname: hostnames.get(h.address) ?? null, mpls: h.mpls, owner: owners.get(h.address) }),
    ),
    samples: (stats.recent.get(hop.ttl) ?? []).map((s) => ({
      round: s.round,
      at: s.at,
      result: s.result,
      address: s.address,
      rttMs: s.rttMs,
    })),
  };
}

/**
 * Statistics of `session` over `window` as a trace document. The options are
 * those of the newest segment that started before the window ends.
 */
export async function buildWindowDocument(
  store: HistoryStore,
  session: StoredSessionRow,
  window: TimeWindow,
  detail: WindowDetail = {},
): Promise<WindowDocument> {
  const [stats, segments, events, hostnames, owners] = await Promise.all([
    store.windowStats(session.session, window, detail),
    store.segments(session.session),
    store.events(session.session, window),
    store.hostnames(session.session),
    store.owners(session.session),
  ]);
  const segment = [...segments].reverse().find((s) => window.to === undefined || s.startedAt < window.to);
  const parsed = traceOptionsSchema.safeParse(segment?.options ?? session.options);
  const options = parsed.success ? parsed.data : traceOptionsSchema.parse({ target: session.target });

  const destination = stats.hops.find((h) => h.hosts.some((host) => host.address === session.targetAddress));
  const summary: SessionSummary = {
    id: session.uid,
    options,
    state: session.state as SessionSummary['state'],
    targetAddress: session.targetAddress,
    ipVersion: session.ipVersion,
    destinationTtl: destination?.ttl ?? null,
    rounds: stats.rounds,
    startedAt: session.startedAt,
    mtrPacketVersion: session.mtrPacketVersion,
    restarts: events
      .filter((e) => e.kind === 'restart')
      .map((e) => ({ at: e.at, round: Number((JSON.parse(e.detail ?? '{}') as { round?: number }).round ?? 0) })),
  };
  const hops = stats.hops.map((h) => toHop(h, stats, hostnames, owners));
  // "Start:" is when the window's first probe went out, not when the report was printed.
  const start = new Date(stats.firstAt ?? window.from ?? session.startedAt);
  return { document: buildTraceDocument(summary, hops, start), stats };
}
