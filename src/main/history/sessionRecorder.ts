/**
 * Records one live session into the history from the same event batches the
 * UI receives. Holds only what the next batch needs (segment starts and the
 * last summary), so its memory does not grow with the session's length.
 */
import type { MplsLabel } from '@shared/probe';
import type { MarkerKind } from '@shared/traceFile';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import type { HopStatsUpdate } from '@shared/session';
import type { Sample } from '@shared/traceFile';
import type { HistoryStore } from './historyStore';
import { OWNER_EVENT, ownerEventDetail } from './ownerRecords';

const TERMINAL_STATES = new Set(['finished', 'stopped', 'failed']);
/** Options changes are recorded as segments and `restart` events already; these say why probes are missing. */
const MARKERS_TO_RECORD: ReadonlySet<MarkerKind> = new Set<MarkerKind>(['helper-restarted', 'helper-stalled']);

/**
 * A stored session a new live session records into ("trace this target
 * again"): its segments and rounds follow the stored ones, so the timeline
 * shows one session with a gap and a `continued` segment marker.
 */
export interface Continuation {
  session: number;
  /** Index of the first new segment, and the round number the live session's round 0 becomes. */
  firstSegment: number;
  firstRound: number;
}

/** A sample as the stream carries it; an engine that attaches the MPLS stack to samples is used as is. */
type StreamSample = Sample & { mpls?: MplsLabel[] };

export class SessionRecorder {
  private session: number | null = null;
  /** First round of each segment, in order: segment n starts at segmentStarts[n]. */
  private readonly segmentStarts: number[] = [];
  private lastSummary: SessionSummary | null = null;
  /** Time of the newest marker recorded (markers arrive in order, in every later summary). */
  private markersUpTo = -Infinity;

  /** Added to the live session's segment indexes and round numbers (0 unless continuing). */
  private readonly segmentBase: number;
  private readonly roundBase: number;

  constructor(
    private readonly store: HistoryStore,
    private readonly now: () => number = Date.now,
    private readonly continuation: Continuation | null = null,
  ) {
    this.segmentBase = continuation?.firstSegment ?? 0;
    this.roundBase = continuation?.firstRound ?? 0;
  }

  /** The session's number in the store, once its first summary arrived. */
  get sessionNumber(): number | null {
    return this.session;
  }

  /** Feed every batch, in order. Summaries must come first (the engine sends its state before any sample). */
  onBatch(batch: SessionEventBatch): void {
    for (const event of batch.events) {
      switch (event.type) {
        case 'state':
          this.onSummary(event.summary);
          break;
        case 'hops':
          this.onHops(event.hops, event.samples);
          break;
        case 'path-changed':
          this.event('path-changed', event.ttl, event.address);
          break;
        case 'destination-reached':
          this.event('destination-reached', event.ttl, null);
          break;
        case 'hostname':
          if (this.session !== null) {
            this.store.addHostname({
              session: this.session,
              at: this.now(),
              address: event.address,
              hostname: event.hostname,
            });
          }
          break;
        case 'owner':
          this.event(OWNER_EVENT, null, ownerEventDetail(event.address, event.owner));
          break;
        case 'error':
          this.event('error', null, JSON.stringify(event.error));
          break;
      }
    }
  }

  /** Record the final summary (the CLI calls this once the session is done) and flush. */
  async finish(summary: SessionSummary): Promise<void> {
    this.onSummary(summary);
    if (this.session !== null) this.store.endSession(this.session);
    await this.store.flush();
  }

  private onSummary(summary: SessionSummary): void {
    if (this.session === null) {
      if (this.continuation) {
        this.session = this.continuation.session;
        // It runs again: no end until this live session ends, and the list finds it by the live id.
        this.store.updateSession(this.session, { uid: summary.id, endedAt: null });
      } else {
        this.session = this.store.beginSession({
          uid: summary.id,
          startedAt: summary.startedAt,
          target: summary.options.target,
          options: summary.options,
          mtrPacketVersion: summary.mtrPacketVersion,
        });
      }
      this.startSegment(summary, 0, summary.startedAt, this.continuation ? 'continued' : 'start');
    }
    // Every restart (an options change, a statistics reset) starts the next segment; the segment
    // table already carries per-segment options, so finer segments need no change to the file.
    while (this.segmentStarts.length <= summary.restarts.length) {
      const restart = summary.restarts[this.segmentStarts.length - 1];
      if (!restart) break;
      const reset = summary.markers?.some(
        (m) => m.kind === 'statistics-reset' && m.at === restart.at && m.round === restart.round,
      );
      this.startSegment(summary, restart.round, restart.at, reset ? 'reset' : 'restart');
      this.event('restart', null, JSON.stringify({ round: this.roundBase + restart.round }), restart.at);
    }
    this.recordMarkers(summary);
    const previous = this.lastSummary;
    const terminal = TERMINAL_STATES.has(summary.state);
    this.store.updateSession(this.session, {
      lastAt: this.now(),
      state: summary.state,
      rounds: this.roundBase + summary.rounds,
      targetAddress: summary.targetAddress,
      ipVersion: summary.ipVersion,
      destinationTtl: summary.destinationTtl,
      ...(terminal && !TERMINAL_STATES.has(previous?.state ?? '') ? { endedAt: this.now() } : {}),
    });
    if (previous && previous.state !== summary.state) this.event('state', null, summary.state);
    this.lastSummary = summary;
  }

  /** Helper restarts and stalls as events (kind = the marker's kind), at the marker's time. */
  private recordMarkers(summary: SessionSummary): void {
    for (const marker of summary.markers ?? []) {
      if (marker.at <= this.markersUpTo) continue;
      this.markersUpTo = marker.at;
      if (!MARKERS_TO_RECORD.has(marker.kind)) continue;
      const round = this.roundBase + marker.round;
      this.event(
        marker.kind,
        null,
        JSON.stringify({ round, ...(marker.detail ? { detail: marker.detail } : {}) }),
        marker.at,
      );
    }
  }

  private startSegment(summary: SessionSummary, firstRound: number, at: number, reason: string): void {
    if (this.session === null) return;
    this.store.beginSegment({
      session: this.session,
      segment: this.segmentBase + this.segmentStarts.length,
      startedAt: at,
      firstRound: this.roundBase + firstRound,
      reason,
      options: summary.options,
    });
    this.segmentStarts.push(firstRound);
  }

  /** The stored segment of a live round. */
  private segmentOf(round: number): number {
    let segment = 0;
    for (let i = 1; i < this.segmentStarts.length; i++) if ((this.segmentStarts[i] ?? Infinity) <= round) segment = i;
    return this.segmentBase + segment;
  }

  private onHops(hops: HopStatsUpdate[], samples: { ttl: number; samples: StreamSample[] }[]): void {
    const session = this.session;
    if (session === null) return;
    let newest = 0;
    for (const { ttl, samples: list } of samples) {
      const hosts = hops.find((h) => h.ttl === ttl)?.hosts ?? [];
      for (const s of list) {
        // The stream's sample has no MPLS stack yet: the responder's current stack is the best there is.
        const mpls = s.mpls ?? (s.address ? (hosts.find((h) => h.address === s.address)?.mpls ?? null) : null);
        this.store.addSample({
          session,
          segment: this.segmentOf(s.round),
          ttl,
          round: this.roundBase + s.round,
          at: s.at,
          result: s.result,
          address: s.address,
          rttMs: s.rttMs,
          mpls: mpls && mpls.length > 0 ? mpls : null,
        });
        newest = Math.max(newest, s.at);
      }
    }
    if (newest > 0) this.store.updateSession(session, { lastAt: newest });
  }

  private event(kind: string, ttl: number | null, detail: string | null, at = this.now()): void {
    if (this.session === null) return;
    this.store.addEvent({ session: this.session, at, kind, ttl, detail });
  }
}
