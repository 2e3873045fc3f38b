/**
 * A stored session (or a window of it) as a whole `hopscope.trace` v2
 * document, one segment record per stored segment: with every sample of the
 * window (an export holds everything that was recorded), or with each hop's
 * newest `samplesPerHop` rounds per segment (a tab: its statistics still
 * cover the whole window, its samples are as bounded as a live tab's).
 */
import { recordedOptionsSchema, MAX_SEGMENTS, type SegmentRecord, type TraceDocument } from '@shared/traceFile';
import type { HistoryStore, StoredSessionRow } from './historyStore';
import type { TimeWindow } from './historyQueries';
import { buildWindowDocument } from './windowDocument';

/** Every sample: the newest "N rounds" of a window reaches back to its first round. */
export const ALL_ROUNDS = Number.MAX_SAFE_INTEGER;

export async function buildStoredSessionDocument(
  store: HistoryStore,
  session: StoredSessionRow,
  window: Omit<TimeWindow, 'segment'> = {},
  samplesPerHop = ALL_ROUNDS,
): Promise<TraceDocument> {
  const stored = (await store.segments(session.session)).slice(-MAX_SEGMENTS);
  const parts = await Promise.all(
    stored.map(async (segment, i) => {
      const { document, stats } = await buildWindowDocument(
        store,
        session,
        { ...window, segment: segment.segment },
        { samplesPerHop, jitter: true },
      );
      const next = stored[i + 1];
      const record: SegmentRecord = {
        index: segment.segment,
        target: document.target,
        options: recordedOptionsSchema.safeParse(segment.options).data ?? {},
        startedAt: segment.startedAt,
        ...(next ? { endedAt: next.startedAt } : session.endedAt !== null ? { endedAt: session.endedAt } : {}),
        firstRound: segment.firstRound,
        rounds: stats.rounds,
        destinationTtl: document.destinationReached ? destinationTtl(document, session) : null,
        hops: document.hops.map((hop) => ({
          ...hop,
          samples: hop.samples.map((s) => ({ ...s, segment: segment.segment })),
        })),
      };
      return { document, record, stats };
    }),
  );
  const last = parts.at(-1);
  if (!last) {
    // Nothing but the session row was written (it stopped before its first segment was flushed).
    const { document } = await buildWindowDocument(store, session, window, { samplesPerHop });
    return document;
  }
  // Segments with no round in the window are left out: a window shows what it holds.
  const shown = parts.filter((p) => p.stats.rounds > 0);
  const kept = shown.length > 0 ? shown : [last];
  const current = kept.at(-1) ?? last;
  const { hops, ...currentRecord } = current.record;
  return {
    ...current.document,
    rounds: kept.reduce((n, p) => n + p.stats.rounds, 0),
    // The current segment's hops are the document's own (the format keeps them in one place).
    hops: hops ?? [],
    segments: [...kept.slice(0, -1).map((p) => p.record), currentRecord],
  };
}

function destinationTtl(document: TraceDocument, session: StoredSessionRow): number | null {
  const address = session.targetAddress;
  return document.hops.find((h) => h.hosts.some((host) => host.address === address))?.ttl ?? null;
}
