/**
 * Sits between trace sessions and the one mtr-packet. mtr-packet answers `probes-exhausted` once it
 * tracks MAX_PROBES (1024, mtr `packet/probe.h`) outstanding probes, and then every session loses
 * probes to whichever one floods it. The scheduler keeps the total in flight well below that, caps
 * each session, and shares free slots round-robin between sessions with probes waiting (O(1) per
 * probe). A probe over a cap waits in its session's queue instead of failing.
 */
import { isIpLiteral, type ProbeOptions, type ProbeResult } from '@shared/probe';
import { StateError, ValidationError } from '../mtr/errors';
import { validateProbeOptions, type ValidProbeOptions } from '../mtr/probeOptions';
import type { ProbeTransport } from '../trace/probeTransport';
import { Fifo } from './fifo';

/** mtr-packet's own limit on outstanding probes: MAX_PROBES in mtr's packet/probe.h. */
export const MTR_PACKET_MAX_PROBES = 1024;
/** Half of mtr-packet's slots: room for probes it still tracks after we gave up on them (stalls, grace). */
export const DEFAULT_MAX_IN_FLIGHT = MTR_PACKET_MAX_PROBES / 2;
export const DEFAULT_MAX_IN_FLIGHT_PER_SESSION = 128;

export interface ProbeSchedulerOptions {
  /** Probes in flight across all sessions (default 512; at most MTR_PACKET_MAX_PROBES - 1). */
  maxInFlight?: number;
  /** Probes in flight for one session (default 128). */
  maxInFlightPerSession?: number;
}

interface Job {
  address: string;
  options: ValidProbeOptions;
  resolve: (result: ProbeResult) => void;
  reject: (err: unknown) => void;
}

/** One session's view of the scheduler: a ProbeTransport whose probes wait their turn. */
export interface SessionProbeTransport extends ProbeTransport {
  readonly sessionId: string;
  /** Probes accepted but not yet sent to mtr-packet (the UI says "probes are being held back"). */
  heldBack(): number;
  /** Probes sent and not yet answered. */
  inFlight(): number;
  /** Queued probes reject with StateError; probes in flight finish; later probe() calls reject. */
  close(): void;
}

class SessionQueue implements SessionProbeTransport {
  readonly queue = new Fifo<Job>();
  sending = 0;
  /** In the scheduler's ready ring. */
  ready = false;
  closed = false;

  constructor(
    readonly sessionId: string,
    private readonly scheduler: ProbeScheduler,
  ) {}

  // async so that a refusal (closed, bad options, not an IP literal) is a rejection; the queue push still happens in this tick.
  async probe(address: string, options?: ProbeOptions | ValidProbeOptions): Promise<ProbeResult> {
    if (this.closed) throw new StateError(`probe session ${this.sessionId} is closed`);
    // Validated here, once per options object, so a bad option fails at once instead of after the wait.
    const valid = validateProbeOptions(options);
    if (typeof address !== 'string' || !isIpLiteral(address)) {
      throw new ValidationError('host', 'must be an IPv4 or IPv6 address literal');
    }
    return new Promise<ProbeResult>((resolve, reject) => {
      this.queue.push({ address, options: valid, resolve, reject });
      this.scheduler.wake(this);
    });
  }

  heldBack(): number {
    return this.queue.size;
  }

  inFlight(): number {
    return this.sending;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const error = new StateError(`probe session ${this.sessionId} was closed`);
    for (const job of this.queue.drain()) job.reject(error);
    this.scheduler.forget(this);
  }
}

export class ProbeScheduler {
  private readonly maxInFlight: number;
  private readonly maxPerSession: number;
  private readonly sessions = new Map<string, SessionQueue>();
  /** Sessions with probes waiting and room under their own cap, in turn order. */
  private readonly readyRing = new Fifo<SessionQueue>();
  private sending = 0;
  private closed = false;

  constructor(
    private readonly transport: ProbeTransport,
    options: ProbeSchedulerOptions = {},
  ) {
    this.maxInFlight = positiveInt(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, 'maxInFlight');
    if (this.maxInFlight >= MTR_PACKET_MAX_PROBES) {
      throw new ValidationError('maxInFlight', `must stay below mtr-packet's ${MTR_PACKET_MAX_PROBES} probe slots`);
    }
    this.maxPerSession = positiveInt(
      options.maxInFlightPerSession ?? Math.min(DEFAULT_MAX_IN_FLIGHT_PER_SESSION, this.maxInFlight),
      'maxInFlightPerSession',
    );
  }

  /** The transport for one session; the same object for the same open session id. */
  forSession(sessionId: string): SessionProbeTransport {
    if (this.closed) throw new StateError('the probe scheduler is closed');
    let session = this.sessions.get(sessionId);
    if (!session) {
      session = new SessionQueue(sessionId, this);
      this.sessions.set(sessionId, session);
    }
    return session;
  }

  /** Probes in flight across all sessions. */
  inFlight(): number {
    return this.sending;
  }

  /** Probes waiting across all sessions. */
  heldBack(): number {
    let n = 0;
    for (const session of this.sessions.values()) n += session.queue.size;
    return n;
  }

  /** Close every session (their queued probes reject); probes in flight finish. */
  close(): void {
    this.closed = true;
    for (const session of [...this.sessions.values()]) session.close();
  }

  /** @internal A session has new work or a free slot. */
  wake(session: SessionQueue): void {
    this.markReady(session);
    this.pump();
  }

  /** @internal */
  forget(session: SessionQueue): void {
    if (this.sessions.get(session.sessionId) === session) this.sessions.delete(session.sessionId);
  }

  private markReady(session: SessionQueue): void {
    if (session.ready || session.closed || session.queue.size === 0 || session.sending >= this.maxPerSession) return;
    session.ready = true;
    this.readyRing.push(session);
  }

  private pump(): void {
    while (this.sending < this.maxInFlight) {
      const session = this.readyRing.shift();
      if (!session) return;
      session.ready = false;
      const job = session.closed ? undefined : session.queue.shift();
      if (!job) continue;
      this.send(session, job);
      // Back of the ring: every other waiting session gets a turn first.
      this.markReady(session);
    }
  }

  private send(session: SessionQueue, job: Job): void {
    this.sending++;
    session.sending++;
    let sent: Promise<ProbeResult>;
    try {
      sent = this.transport.probe(job.address, job.options);
    } catch (err) {
      sent = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    sent.then(job.resolve, job.reject).finally(() => {
      this.sending--;
      session.sending--;
      this.markReady(session);
      this.pump();
    });
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ValidationError(name, 'must be a whole number of at least 1');
  return value;
}
