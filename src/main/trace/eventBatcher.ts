/**
 * Gathers a session's events and changed hops and sends them as one batch
 * per interval. A batch costs what changed since the last one: the changed
 * hops' statistics and the samples that appeared or changed, never a copy of
 * a sample buffer.
 */
import type { HopStatsUpdate, SessionEvent, SessionEventBatch } from '@shared/session';
import type { Sample } from '@shared/traceFile';

export interface ChangedHopSource {
  /** Current statistics of a TTL, null when it has none. */
  hopStats(ttl: number): HopStatsUpdate | null;
  /** Samples of a TTL that appeared or changed since the last call. */
  takeChangedSamples(ttl: number): Sample[];
  /** Index of the segment these hops belong to; 0 when the source has no segments. */
  segmentIndex?(): number;
}

export class EventBatcher {
  private readonly pending: SessionEvent[] = [];
  private readonly dirtyTtls = new Set<number>();
  private readonly droppedTtls = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(
    private readonly sessionId: string,
    private readonly intervalMs: number,
    private readonly hops: ChangedHopSource,
    private readonly send: (batch: SessionEventBatch) => void,
  ) {}

  queue(event: SessionEvent): void {
    this.pending.push(event);
    this.schedule();
  }

  markDirty(ttls: Iterable<number>): void {
    for (const ttl of ttls) this.dirtyTtls.add(ttl);
    if (this.dirtyTtls.size > 0) this.schedule();
  }

  /** TTLs the engine forgot (overshoot past the end): receivers forget them too. */
  drop(ttls: Iterable<number>): void {
    for (const ttl of ttls) {
      this.droppedTtls.add(ttl);
      this.dirtyTtls.delete(ttl);
    }
    this.schedule();
  }

  /** Send everything gathered since the last batch as one batch. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.pending.splice(0);
    if (this.dirtyTtls.size > 0 || this.droppedTtls.size > 0) {
      const hops: HopStatsUpdate[] = [];
      const samples: { ttl: number; samples: Sample[] }[] = [];
      for (const ttl of [...this.dirtyTtls].sort((a, b) => a - b)) {
        const stats = this.hops.hopStats(ttl);
        if (!stats) continue;
        hops.push(stats);
        const changed = this.hops.takeChangedSamples(ttl);
        if (changed.length > 0) samples.push({ ttl, samples: changed });
      }
      this.dirtyTtls.clear();
      const dropped = [...this.droppedTtls].sort((a, b) => a - b);
      this.droppedTtls.clear();
      const segment = this.hops.segmentIndex?.() ?? 0;
      events.push({ type: 'hops', segment, hops, samples, ...(dropped.length > 0 ? { dropped } : {}) });
    }
    if (events.length === 0) return;
    this.send({ sessionId: this.sessionId, seq: ++this.seq, events });
  }

  /** Drops a scheduled flush (the session is being forgotten). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }
}
