/**
 * One agent session as the app shows it: under an id of the app's own, with
 * its own batch numbering, and with segment indices that keep growing when
 * the agent's session behind it is replaced (a target retried, the agent
 * restarted). The agent's view keeps one id per target across those, so the
 * app keeps one tab per target: what the previous session drew becomes an
 * earlier segment of the tab, and nothing of two sessions is ever mixed.
 */
import type { RemoteOrigin, SessionEvent, SessionEventBatch, SessionSummary } from '@shared/session';
import { MAX_SEGMENTS, type Hop, type Segment, type TraceDocument } from '@shared/traceFile';

function shiftHop(hop: Hop, offset: number): Hop {
  if (offset === 0) return hop;
  const samples = hop.samples.map((s) => (s.segment === undefined ? s : { ...s, segment: s.segment + offset }));
  return { ...hop, samples };
}

export class RemoteSession {
  /** Closed by the person: no longer listed or forwarded. */
  hidden = false;
  private seq = 0;
  /** Added to the agent's segment indices: grows past every index used when the agent's session is replaced. */
  private offset = 0;
  private remoteStartedAt: number | null = null;
  /** Segments of replaced agent sessions, already renumbered. */
  private earlier: Segment[] = [];
  private last: SessionSummary | null = null;

  constructor(
    readonly localId: string,
    readonly remoteId: string,
    private readonly origin: () => RemoteOrigin,
  ) {}

  /** The agent's summary as the app's: notices a replaced agent session first. */
  adopt(remote: SessionSummary): SessionSummary {
    if (this.remoteStartedAt !== null && remote.startedAt !== this.remoteStartedAt) {
      const held = this.last?.segments ?? [];
      this.earlier = [...this.earlier, ...held].slice(-(MAX_SEGMENTS - 1));
      this.offset = (this.last?.segment ?? this.offset) + 1;
    }
    this.remoteStartedAt = remote.startedAt;
    const segments = (remote.segments ?? []).map((s) => ({ ...s, index: s.index + this.offset }));
    this.last = {
      ...remote,
      id: this.localId,
      segment: (remote.segment ?? 0) + this.offset,
      segments: [...this.earlier, ...segments].slice(-MAX_SEGMENTS),
      remote: this.origin(),
    };
    return this.last;
  }

  /** The last summary with the connection's current state, or null before the first. */
  current(): SessionSummary | null {
    return this.last === null ? null : { ...this.last, remote: this.origin() };
  }

  /** A state batch telling the app the connection changed. */
  originBatch(): SessionEventBatch | null {
    const summary = this.current();
    return summary === null ? null : this.batch([{ type: 'state', summary }]);
  }

  mapBatch(batch: SessionEventBatch): SessionEventBatch {
    const events = batch.events.map((event): SessionEvent => {
      if (event.type === 'state') return { type: 'state', summary: this.adopt(event.summary) };
      if (event.type === 'hops') return { ...event, segment: (event.segment ?? this.remoteSegment()) + this.offset };
      return event;
    });
    return this.batch(events);
  }

  /** A document of the agent's session in the app's numbering (the summary must have been adopted). */
  mapDocument(doc: TraceDocument): TraceDocument {
    const offset = this.offset;
    return {
      ...doc,
      hops: doc.hops.map((h) => shiftHop(h, offset)),
      ...(doc.segments
        ? {
            segments: doc.segments.map((s) => ({
              ...s,
              index: s.index + offset,
              ...(s.hops ? { hops: s.hops.map((h) => shiftHop(h, offset)) } : {}),
            })),
          }
        : {}),
    };
  }

  /**
   * Everything the agent holds of the session as one batch, oldest segment
   * first: on a first connection it fills the tab, on a reconnection it
   * brings it up to date. Samples are keyed by (ttl, round), so the ones the
   * tab already holds are replaced, never doubled.
   */
  snapshotBatch(remote: SessionSummary, remoteDoc: TraceDocument): SessionEventBatch {
    const summary = this.adopt(remote);
    const doc = this.mapDocument(remoteDoc);
    const current = summary.segment ?? 0;
    const events: SessionEvent[] = [];
    for (const segment of doc.segments ?? []) {
      if (segment.index >= current || !segment.hops) continue;
      events.push(hopsEvent(segment.index, segment.hops));
    }
    events.push({ type: 'state', summary }, hopsEvent(current, doc.hops));
    if (summary.destinationTtl !== null) events.push({ type: 'destination-reached', ttl: summary.destinationTtl });
    return this.batch(events);
  }

  private remoteSegment(): number {
    return (this.last?.segment ?? this.offset) - this.offset;
  }

  private batch(events: SessionEvent[]): SessionEventBatch {
    return { sessionId: this.localId, seq: ++this.seq, events };
  }
}

function hopsEvent(segment: number, hops: readonly Hop[]): SessionEvent {
  return {
    type: 'hops',
    segment,
    hops: hops.map(({ samples: _samples, ...stats }) => stats),
    samples: hops.map((hop) => ({ ttl: hop.ttl, samples: hop.samples })),
  };
}
