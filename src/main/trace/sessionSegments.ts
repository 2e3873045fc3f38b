/**
 * The segments of one session: the current one's PathState and the closed
 * ones, each with the options it ran with. Applying changed options closes
 * the current segment and opens the next with a fresh PathState, so no
 * statistic ever adds up samples of two option sets.
 */
import { definedOnly, type EarlierSegmentHops } from '@shared/traceDocument';
import { MAX_SEGMENTS } from '@shared/traceFormat';
import type { Segment } from '@shared/traceFile';
import type { TraceOptions } from '@shared/traceOptions';
import { PathState } from './pathState';
import type { ResolvedTarget } from './sessionDeps';

interface OpenSegment {
  index: number;
  options: TraceOptions;
  startedAt: number;
  firstRound: number;
  /** Session rounds completed when it began. */
  roundsBefore: number;
  path: PathState;
}

interface ClosedSegment {
  info: Segment;
  path: PathState;
}

export class SessionSegments {
  private open: OpenSegment;
  private readonly closed: ClosedSegment[] = [];

  constructor(options: TraceOptions, startedAt: number) {
    this.open = SessionSegments.opened(0, options, startedAt, 0, 0);
  }

  /** The current segment's per-TTL state. */
  get path(): PathState {
    return this.open.path;
  }

  get index(): number {
    return this.open.index;
  }

  /**
   * Closes the current segment (as it stands now, ended at `closedAt`) and
   * opens the next with `options` at `at`; `round` is the session round its
   * first probes belong to.
   */
  next(
    options: TraceOptions,
    { closedAt, at, round }: { closedAt: number; at: number; round: number },
    roundsCompleted: number,
    target: ResolvedTarget | null,
  ): void {
    const info = this.describe(this.open, roundsCompleted, target, closedAt);
    if (this.closed.length >= MAX_SEGMENTS - 1) this.closed.shift();
    this.closed.push({ info, path: this.open.path });
    this.open = SessionSegments.opened(this.open.index + 1, options, at, round, roundsCompleted);
  }

  /** Every segment kept, oldest first, the current one last (`endedAt` set once the session ended). */
  list(roundsCompleted: number, target: ResolvedTarget | null, endedAt?: number): Segment[] {
    return [...this.closed.map((c) => c.info), this.describe(this.open, roundsCompleted, target, endedAt)];
  }

  /** Hops of the closed segments by index: the file model of everything but the current segment. */
  earlierHops(hostnameOf?: (address: string) => string | null): EarlierSegmentHops {
    return Object.fromEntries(this.closed.map((c) => [c.info.index, c.path.snapshot(hostnameOf)]));
  }

  /** Whether `address` answered in a closed segment: a name arriving for it late still goes out. */
  answeredEarlier(address: string): boolean {
    return this.closed.some((c) => c.path.ttlsOf(address).length > 0);
  }

  private static opened(
    index: number,
    options: TraceOptions,
    startedAt: number,
    firstRound: number,
    roundsBefore: number,
  ): OpenSegment {
    const path = new PathState(options.firstTtl, options.maxTtl, options.sampleBufferSize, options.maxUnknown);
    return { index, options, startedAt, firstRound, roundsBefore, path };
  }

  private describe(
    segment: OpenSegment,
    roundsCompleted: number,
    target: ResolvedTarget | null,
    endedAt: number | undefined,
  ): Segment {
    const { target: input, ...options } = segment.options;
    const unreachable = segment.path.unreachable;
    return {
      index: segment.index,
      target: { input, address: target?.address ?? null, ipVersion: target?.ipVersion ?? null },
      options: definedOnly(options),
      startedAt: segment.startedAt,
      ...(endedAt !== undefined ? { endedAt } : {}),
      firstRound: segment.firstRound,
      rounds: roundsCompleted - segment.roundsBefore,
      destinationTtl: segment.path.destinationTtl,
      ...(unreachable ? { unreachable } : {}),
    };
  }
}
