/**
 * When probes go out, and when a silent one is given up on. Round 0 probes
 * every TTL at once; later rounds repeat every interval up to the limit the
 * path state sets. Probes are never awaited in sequence, so a silent hop
 * only costs its adaptive wait (see silentHopWait.ts). A probe presumed lost
 * still accepts its late result; this class only reports both.
 */
import type { ProbeResult } from '@shared/probe';
import type { TraceOptions } from '@shared/traceOptions';
import { presumeLostAt } from './silentHopWait';

export interface ProbeInFlight {
  probeId: number;
  ttl: number;
  round: number;
  sentAt: number;
  /** Its result arrived, or it no longer holds its round open (past a new end of path). */
  settled: boolean;
  presumed: boolean;
  silentTimer?: NodeJS.Timeout;
}

interface RoundInFlight {
  round: number;
  probes: Map<number, ProbeInFlight>;
  complete: boolean;
  /** The destination's TTL as known when the round was sent (null in round 0 or after a path change). */
  knownDestinationTtl: number | null;
  /** Highest TTL a router answered `ttl-expired` at in this round: the destination lies beyond it. */
  highestRouterTtl: number;
}

/** While probes are held back, how often the scheduler looks again whether they drained. */
export const HELD_BACK_RECHECK_MS = 50;

export interface RoundSchedulerHost {
  now(): number;
  /** TTLs the next round probes, inclusive. */
  ttlRange(): { first: number; last: number };
  /** TTL at which the destination answers, when known. */
  destinationTtl(): number | null;
  /** Probes the transport has not sent yet; no round starts while any wait. */
  heldBack(): number;
  /** Rounds began or stopped waiting for held-back probes to drain. */
  onHoldChanged(holding: boolean): void;
  /** Records the probe as sent and starts it; resolves with its result. */
  send(probe: ProbeInFlight): Promise<ProbeResult>;
  onResult(probe: ProbeInFlight, result: ProbeResult): void;
  onPresumedLost(probe: ProbeInFlight): void;
  onTransportError(probe: ProbeInFlight, err: unknown): void;
  onRoundComplete(round: number): void;
  /** Every round of a counted run has been sent and completed. */
  onAllRoundsDone(): void;
}

export class RoundScheduler {
  private readonly rounds = new Map<number, RoundInFlight>();
  private nextRound = 0;
  /** Round number at the last (re)start; `count` counts from here. */
  private roundBase = 0;
  private completed = 0;
  private probeSeq = 0;
  private roundTimer: NodeJS.Timeout | undefined;
  /** mtr's `-G`: running from when the last round of a counted run was sent. */
  private graceTimer: NodeJS.Timeout | undefined;
  private running = false;
  private holding = false;

  constructor(
    private options: TraceOptions,
    private readonly host: RoundSchedulerHost,
  ) {}

  get completedRounds(): number {
    return this.completed;
  }

  /** The round the next probes belong to. */
  get upcomingRound(): number {
    return this.nextRound;
  }

  /** Starts (or resumes) sending rounds. */
  run(): void {
    this.running = true;
    this.scheduleRound();
  }

  /** No more rounds; probes in flight still report. */
  halt(): void {
    this.running = false;
    clearTimeout(this.roundTimer);
    clearTimeout(this.graceTimer);
  }

  /** Halts and stops presuming probes lost: the session has ended; late results still report. */
  end(): void {
    this.halt();
    for (const round of this.rounds.values())
      for (const probe of round.probes.values()) clearTimeout(probe.silentTimer);
  }

  /** Halts and forgets every round in flight: new options apply from the next round. */
  restart(options: TraceOptions): void {
    this.end();
    this.rounds.clear();
    this.options = options;
    this.roundBase = this.nextRound;
  }

  /** Stops waiting on probes past a new end of path: their rounds complete without them. */
  releaseBeyond(ttl: number): void {
    for (const round of [...this.rounds.values()]) {
      for (const probe of round.probes.values()) {
        if (probe.ttl > ttl && !probe.settled) {
          probe.settled = true;
          clearTimeout(probe.silentTimer);
        }
      }
      this.checkRoundComplete(round);
    }
  }

  private scheduleRound(): void {
    if (!this.running) return;
    const { count, intervalSec } = this.options;
    if (count !== null && this.nextRound - this.roundBase >= count) {
      this.finishIfIdle();
      return;
    }
    // Pacing: probes of earlier rounds still wait for a slot, so this round waits too (the queue stays bounded).
    if (this.host.heldBack() > 0) {
      this.setHolding(true);
      this.roundTimer = setTimeout(() => this.scheduleRound(), Math.min(intervalSec * 1000, HELD_BACK_RECHECK_MS));
      return;
    }
    this.setHolding(false);
    this.sendRound(this.nextRound++);
    const { graceSec } = this.options;
    if (graceSec !== undefined && count !== null && this.nextRound - this.roundBase >= count) {
      this.graceTimer = setTimeout(() => this.endGrace(), graceSec * 1000);
    }
    this.roundTimer = setTimeout(() => this.scheduleRound(), intervalSec * 1000);
  }

  /**
   * The grace time after the last round is over: every probe still unanswered is lost, as mtr counts
   * them when it exits. It only ever ends the wait sooner: the silent-hop wait and each probe's
   * timeout may have settled them all before. A late reply still counts until the session ends.
   */
  private endGrace(): void {
    for (const round of [...this.rounds.values()]) {
      for (const probe of round.probes.values()) {
        clearTimeout(probe.silentTimer);
        this.presume(round, probe);
      }
    }
  }

  private setHolding(holding: boolean): void {
    if (this.holding === holding) return;
    this.holding = holding;
    this.host.onHoldChanged(holding);
  }

  private sendRound(roundNumber: number): void {
    const round: RoundInFlight = {
      round: roundNumber,
      probes: new Map(),
      complete: false,
      knownDestinationTtl: this.host.destinationTtl(),
      highestRouterTtl: 0,
    };
    this.rounds.set(roundNumber, round);
    const { first, last } = this.host.ttlRange();
    for (let ttl = first; ttl <= last; ttl++) this.sendProbe(round, ttl);
  }

  private sendProbe(round: RoundInFlight, ttl: number): void {
    const probe: ProbeInFlight = {
      probeId: ++this.probeSeq,
      ttl,
      round: round.round,
      sentAt: this.host.now(),
      settled: false,
      presumed: false,
    };
    round.probes.set(ttl, probe);
    this.host.send(probe).then(
      (result) => this.onResult(round, probe, result),
      (err: unknown) => {
        probe.settled = true;
        clearTimeout(probe.silentTimer);
        this.host.onTransportError(probe, err);
        this.checkRoundComplete(round);
      },
    );
  }

  private onResult(round: RoundInFlight, probe: ProbeInFlight, result: ProbeResult): void {
    const wasPresumed = probe.presumed;
    probe.settled = true;
    clearTimeout(probe.silentTimer);
    this.host.onResult(probe, result);
    if (result.result === 'ttl-expired') round.highestRouterTtl = Math.max(round.highestRouterTtl, probe.ttl);
    if (result.success && result.responder && !wasPresumed)
      this.shortenWaitsBelow(round, nearWaitCeiling(round, probe.ttl, result), result.timeMs ?? 0);
    this.checkRoundComplete(round);
  }

  /** A later hop answered: earlier hops still pending in this round, below `ttl`, get traceroute's "near" wait. */
  private shortenWaitsBelow(round: RoundInFlight, ttl: number, rttMs: number): void {
    if (round.complete) return;
    const timeoutMs = this.options.timeoutSec * 1000;
    for (const other of round.probes.values()) {
      if (other.ttl >= ttl || other.settled || other.presumed) continue;
      // Counted from when the answering probe left (now - rtt), if later than this one was asked for:
      // a probe held back for a slot went out long after its round began.
      const deadline = presumeLostAt(Math.max(other.sentAt, this.host.now() - rttMs), rttMs, timeoutMs);
      clearTimeout(other.silentTimer);
      other.silentTimer = setTimeout(() => this.presume(round, other), Math.max(0, deadline - this.host.now()));
    }
  }

  private presume(round: RoundInFlight, probe: ProbeInFlight): void {
    if (probe.settled || probe.presumed) return;
    probe.presumed = true;
    this.host.onPresumedLost(probe);
    this.checkRoundComplete(round);
  }

  private checkRoundComplete(round: RoundInFlight): void {
    if (round.complete || this.rounds.get(round.round) !== round) return;
    for (const probe of round.probes.values()) if (!probe.settled && !probe.presumed) return;
    round.complete = true;
    this.rounds.delete(round.round);
    this.completed++;
    this.host.onRoundComplete(round.round);
    this.finishIfIdle();
  }

  private finishIfIdle(): void {
    const { count } = this.options;
    if (!this.running || count === null) return;
    if (this.nextRound - this.roundBase < count || this.rounds.size > 0) return;
    this.running = false;
    this.host.onAllRoundsDone();
  }
}

/**
 * Below which TTL a pending probe may be presumed lost after an answer at
 * `ttl`. A router's answer proves every lower TTL is a router too. The
 * destination's answer does not: it answers every TTL from its own upward,
 * so a probe still pending between the highest router that answered and
 * `ttl` may be the destination's own (a TCP SYN it dropped, which the kernel
 * re-sends after a second). Such a probe keeps its full timeout, unless an
 * earlier round already placed the destination above it.
 */
function nearWaitCeiling(round: RoundInFlight, ttl: number, result: ProbeResult): number {
  if (result.result !== 'reply') return ttl;
  return Math.min(ttl, Math.max(round.highestRouterTtl + 1, round.knownDestinationTtl ?? 0));
}
