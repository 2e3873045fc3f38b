/**
 * A re-attached session's history as the first batch of its tab: a window
 * that reloads (or a harness page that reconnects) gets the statistics and
 * samples the engine already holds, not only what arrives from now on.
 */
import type { SessionEventBatch } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';

/** The document's hops as one batch with seq 0; live batches are renumbered to follow it (see SeqRebase). */
export function snapshotBatch(sessionId: string, doc: TraceDocument, destinationTtl: number | null): SessionEventBatch {
  const events: SessionEventBatch['events'] = [
    {
      type: 'hops',
      hops: doc.hops.map(({ samples: _samples, ...stats }) => stats),
      samples: doc.hops.map((hop) => ({ ttl: hop.ttl, samples: hop.samples })),
    },
  ];
  if (destinationTtl !== null) events.push({ type: 'destination-reached', ttl: destinationTtl });
  return { sessionId, seq: 0, events };
}

/**
 * Renumbers a re-attached session's live batches so the first one after the
 * snapshot is seq 1: the store then sees no gap where the page was away,
 * and still notices a real gap later.
 */
export class SeqRebase {
  private readonly offsets = new Map<string, number | null>();

  /** From now on, `sessionId`'s batches follow a snapshot applied as seq 0. */
  track(sessionId: string): void {
    this.offsets.set(sessionId, null);
  }

  forget(sessionId: string): void {
    this.offsets.delete(sessionId);
  }

  rebase(batch: SessionEventBatch): SessionEventBatch {
    if (!this.offsets.has(batch.sessionId)) return batch;
    let offset = this.offsets.get(batch.sessionId) ?? null;
    if (offset === null) {
      offset = batch.seq - 1;
      this.offsets.set(batch.sessionId, offset);
    }
    return { ...batch, seq: batch.seq - offset };
  }
}
