/**
 * Adds who owns each responder to a session's event stream without holding
 * anything back: every outgoing batch passes straight through, with an
 * `owner` event appended for each responder address it names for the first
 * time, when the data can already answer (a synchronous, cached lookup).
 * Addresses seen while the data is still loading get their owners in one
 * extra batch once it has loaded. Extra batches shift the seq numbers of
 * the batches after them, so receivers still see one unbroken sequence.
 */
import type { ResponderEnrichment } from '@shared/enrichment';
import type { SessionEvent, SessionEventBatch } from '@shared/session';

/** The part of the Enricher an announcer needs. */
export interface OwnerSource {
  /** Undefined while loading (and starts the load). */
  lookup(address: string): ResponderEnrichment | undefined;
  load(): Promise<unknown>;
}

/** Responder addresses an event names, in the order they appear. */
export function responderAddresses(event: SessionEvent): string[] {
  switch (event.type) {
    case 'hops':
      return event.hops.flatMap((hop) => hop.hosts.map((host) => host.address));
    case 'path-changed':
      return [event.address];
    default:
      return [];
  }
}

/** Same answer, field by field (the records are small and flat). */
function sameOwner(a: ResponderEnrichment, b: ResponderEnrichment): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class OwnerAnnouncer {
  private readonly seen = new Set<string>();
  /** What each address was last announced as, to announce again when the data changes. */
  private readonly announced = new Map<string, ResponderEnrichment>();
  private readonly waiting: string[] = [];
  /** Extra batches sent so far: added to every engine seq after them. */
  private shift = 0;
  private lastSeq = 0;
  private waitingForLoad = false;
  private closed = false;

  constructor(
    private readonly sessionId: string,
    private readonly source: OwnerSource,
    private readonly send: (batch: SessionEventBatch) => void,
  ) {}

  /** The session's own batch: sent on at once, with the owners it can already name. */
  pass(batch: SessionEventBatch): void {
    if (this.closed) return;
    const owners: SessionEvent[] = [];
    for (const event of batch.events) {
      for (const address of responderAddresses(event)) {
        if (this.seen.has(address)) continue;
        this.seen.add(address);
        const owner = this.source.lookup(address);
        if (owner !== undefined) owners.push(this.announce(address, owner));
        else this.waitForData(address);
      }
    }
    this.lastSeq = batch.seq + this.shift;
    const events = owners.length > 0 ? [...batch.events, ...owners] : batch.events;
    this.send({ ...batch, seq: this.lastSeq, events });
  }

  /**
   * The databases changed: every responder announced so far whose owner is
   * now different gets it again, in one extra batch (none if nothing changed).
   */
  reannounce(): void {
    if (this.closed) return;
    const events: SessionEvent[] = [];
    for (const [address, previous] of this.announced) {
      const owner = this.source.lookup(address);
      if (owner !== undefined && !sameOwner(owner, previous)) events.push(this.announce(address, owner));
    }
    this.sendExtra(events);
  }

  /** The session is gone: nothing more is sent for it. */
  close(): void {
    this.closed = true;
  }

  private waitForData(address: string): void {
    this.waiting.push(address);
    if (this.waitingForLoad) return;
    this.waitingForLoad = true;
    void this.source.load().then(() => this.announceWaiting());
  }

  private announceWaiting(): void {
    this.waitingForLoad = false;
    if (this.closed || this.waiting.length === 0) return;
    const events: SessionEvent[] = [];
    for (const address of this.waiting.splice(0)) {
      // A source that never loads (or lost its data) still answers undefined: leave it unknown.
      const owner = this.source.lookup(address);
      if (owner !== undefined) events.push(this.announce(address, owner));
    }
    this.sendExtra(events);
  }

  private announce(address: string, owner: ResponderEnrichment): SessionEvent {
    this.announced.set(address, owner);
    return { type: 'owner', address, owner };
  }

  /** A batch of our own between the session's: later engine seqs shift by one. */
  private sendExtra(events: SessionEvent[]): void {
    if (events.length === 0) return;
    this.shift++;
    this.lastSeq++;
    this.send({ sessionId: this.sessionId, seq: this.lastSeq, events });
  }
}
