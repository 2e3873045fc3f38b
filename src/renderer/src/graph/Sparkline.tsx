/**
 * Recent RTT of one responder as a tiny line. Lost probes break the line
 * and get a red tick, so loss is visible even when the RTT line is flat.
 */
import { memo, useMemo } from 'react';
import { tickIncrement } from 'd3-array';
import type { Sample } from '@shared/traceFile';
import './Sparkline.css';

export interface SparklineProps {
  /** Samples of one TTL, oldest first (all responders; `address` picks one). */
  samples: readonly Sample[];
  /**
   * Show only this responder's replies. Lost probes at the TTL are shown
   * regardless: loss belongs to the TTL, not to an ECMP branch. Omit for all.
   */
  address?: string | null;
  /**
   * Whether a lost probe breaks the line (default). Turn off for one of
   * several ECMP responders: a loss at the TTL can't be pinned to a branch,
   * so it is shown as a tick only.
   */
  lossBreaksLine?: boolean;
  /** How many recent rounds to show. */
  rounds?: number;
  /** Last round of the window; pass the path's latest round so sparklines line up in time. */
  lastRound?: number;
  /** Top of the y scale in ms; defaults to this sparkline's own maximum. */
  maxMs?: number;
  width?: number;
  height?: number;
  /** Position when embedded in another SVG. */
  x?: number;
  y?: number;
}

export const SPARKLINE_DEFAULTS = { rounds: 60, width: 120, height: 20 } as const;

/** Height of the loss ticks at the bottom edge. */
const TICK = 4;

/**
 * The samples a sparkline draws: the window's replies from one responder
 * plus every lost probe of the TTL, in parallel arrays rather than objects
 * (this runs for every node each round).
 */
export interface SparklineWindow {
  /** Rounds of the line's points, oldest first; null RTT breaks the line. */
  lineRounds: number[];
  lineMs: (number | null)[];
  /** Rounds with a lost probe. */
  lostRounds: number[];
  /** Newest round drawn, if any. */
  newest: number | undefined;
  /** Highest RTT in the window, if any reply. */
  maxRttMs: number | undefined;
}

export function sparklineWindow(
  samples: readonly Sample[],
  {
    address,
    lossBreaksLine = true,
    rounds = SPARKLINE_DEFAULTS.rounds,
    lastRound,
  }: Pick<SparklineProps, 'address' | 'lossBreaksLine' | 'rounds' | 'lastRound'>,
): SparklineWindow {
  const window: SparklineWindow = {
    lineRounds: [],
    lineMs: [],
    lostRounds: [],
    newest: undefined,
    maxRttMs: undefined,
  };
  const windowLast = lastRound ?? samples[samples.length - 1]?.round;
  if (windowLast === undefined) return window;
  const { lineRounds, lineMs, lostRounds } = window;
  // Samples are oldest first: find where the window starts from the end.
  const windowFirst = windowLast - rounds + 1;
  let start = samples.length;
  while (start > 0 && (samples[start - 1]?.round ?? -Infinity) >= windowFirst) start--;
  for (let i = start; i < samples.length; i++) {
    const s = samples[i];
    if (s === undefined || s.round > windowLast) continue;
    if (s.rttMs === null) {
      window.newest = s.round;
      // Several lost probes in a round draw the same tick.
      if (lostRounds[lostRounds.length - 1] !== s.round) lostRounds.push(s.round);
      if (lossBreaksLine) {
        lineRounds.push(s.round);
        lineMs.push(null);
      }
    } else if (address == null || s.address === address) {
      window.newest = s.round;
      lineRounds.push(s.round);
      lineMs.push(s.rttMs);
      if (window.maxRttMs === undefined || s.rttMs > window.maxRttMs) window.maxRttMs = s.rttMs;
    }
  }
  return window;
}

/** What a sparkline draws, in its own pixel space. */
export interface SparklineShape {
  /** Path data of the RTT line, null when no reply is in the window. */
  d: string | null;
  /**
   * Round r sits at x = shift + r × step. Dots and ticks are drawn at r × step
   * in a group moved by shift, so when the window slides by a round only the
   * group moves, not every mark in it.
   */
  shift: number;
  step: number;
  /** Replies with no defined neighbour, which a line cannot show. */
  dots: { round: number; cy: number }[];
  /** Rounds with a lost probe. */
  lostRounds: number[];
}

/** Same as d3 path data with line().digits(3). */
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * The top of the y domain as d3's linear scale nice() makes it, for a domain
 * starting at 0. Inlined because every node's sparkline redraws each round and
 * building d3 scales and a line generator per node cost more than the drawing.
 */
function niceTop(top: number): number {
  let start = 0;
  let stop = top;
  let prestep: number | undefined;
  for (let iterations = 10; iterations > 0; iterations--) {
    const step = tickIncrement(start, stop, 10);
    if (step === prestep) return stop;
    if (step > 0) {
      start = Math.floor(start / step) * step;
      stop = Math.ceil(stop / step) * step;
    } else if (step < 0) {
      start = Math.ceil(start * step) / step;
      stop = Math.floor(stop * step) / step;
    } else {
      break;
    }
    prestep = step;
  }
  // d3 leaves the domain as it was when nice() does not settle.
  return top;
}

/**
 * The line, dots and loss ticks of a sparkline: the output of d3's
 * scaleLinear (x; y with nice() and clamp()) and line().defined() with
 * curveLinear, computed in one pass.
 */
function sparklineShape(
  samples: readonly Sample[],
  {
    address,
    lossBreaksLine = true,
    rounds = SPARKLINE_DEFAULTS.rounds,
    lastRound,
    maxMs,
    width = SPARKLINE_DEFAULTS.width,
    height = SPARKLINE_DEFAULTS.height,
  }: Omit<SparklineProps, 'samples' | 'x' | 'y'>,
): SparklineShape {
  const { lineRounds, lineMs, lostRounds, newest, maxRttMs } = sparklineWindow(samples, {
    address,
    lossBreaksLine,
    rounds,
    lastRound,
  });
  let top = maxMs ?? maxRttMs;
  const last = lastRound ?? newest ?? 0;
  const first = last - rounds + 1;
  const xSpan = last - first;
  const x0 = 1;
  const x1 = width - 1;
  const xOf = (round: number) => {
    const t = xSpan === 0 ? 0.5 : (round - first) / xSpan;
    return x0 * (1 - t) + x1 * t;
  };
  top ??= 1;
  const yTop = niceTop(top > 0 ? top : 1);
  const y0 = height - TICK - 1;
  const y1 = 1;
  const yOf = (ms: number) => {
    const t = Math.max(0, Math.min(yTop, ms)) / yTop;
    return y0 * (1 - t) + y1 * t;
  };

  let d = '';
  let runLength = 0;
  const dots: SparklineShape['dots'] = [];
  for (let i = 0; i <= lineRounds.length; i++) {
    const round = lineRounds[i];
    const ms = lineMs[i];
    if (round === undefined || ms == null) {
      // A run of one point: d3 closes it, and it gets a dot since a line of one point is invisible.
      if (runLength === 1) {
        d += 'Z';
        const single = lineMs[i - 1];
        const singleRound = lineRounds[i - 1];
        if (single != null && singleRound !== undefined) dots.push({ round: singleRound, cy: yOf(single) });
      }
      runLength = 0;
      continue;
    }
    d += `${runLength === 0 ? 'M' : 'L'}${round3(xOf(round))},${round3(yOf(ms))}`;
    runLength++;
  }
  return { d: d === '' ? null : d, shift: xOf(0), step: xSpan === 0 ? 0 : (x1 - x0) / xSpan, dots, lostRounds };
}

function SparklineImpl({
  samples,
  address,
  lossBreaksLine = true,
  rounds = SPARKLINE_DEFAULTS.rounds,
  lastRound,
  maxMs,
  width = SPARKLINE_DEFAULTS.width,
  height = SPARKLINE_DEFAULTS.height,
  x,
  y,
}: SparklineProps) {
  const shape = useMemo(
    () => sparklineShape(samples, { address, lossBreaksLine, rounds, lastRound, maxMs, width, height }),
    [samples, address, lossBreaksLine, rounds, lastRound, maxMs, width, height],
  );

  return (
    <svg
      className="hs-sparkline"
      data-testid="sparkline"
      x={x}
      y={y}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
    >
      <line className="hs-sparkline-baseline" x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} />
      {shape.d !== null && <path className="hs-sparkline-line" d={shape.d} />}
      {(shape.dots.length > 0 || shape.lostRounds.length > 0) && (
        <g transform={`translate(${shape.shift},0)`}>
          <SparklineMarks step={shape.step} height={height} dots={shape.dots} lostRounds={shape.lostRounds} />
        </g>
      )}
    </svg>
  );
}

interface SparklineMarksProps {
  step: number;
  height: number;
  dots: SparklineShape['dots'];
  lostRounds: readonly number[];
}

/** Dots and loss ticks at their rounds; unchanged when the window only slides. */
const SparklineMarks = memo(
  function SparklineMarks({ step, height, dots, lostRounds }: SparklineMarksProps) {
    return (
      <>
        {dots.map((dot) => (
          <circle key={dot.round} className="hs-sparkline-dot" cx={dot.round * step} cy={dot.cy} r={1.25} />
        ))}
        {lostRounds.map((round) => (
          <line
            key={round}
            className="hs-sparkline-loss"
            x1={round * step}
            x2={round * step}
            y1={height}
            y2={height - TICK}
          />
        ))}
      </>
    );
  },
  (a, b) =>
    a.step === b.step &&
    a.height === b.height &&
    a.dots.length === b.dots.length &&
    a.dots.every((dot, i) => dot.round === b.dots[i]?.round && dot.cy === b.dots[i]?.cy) &&
    a.lostRounds.length === b.lostRounds.length &&
    a.lostRounds.every((round, i) => round === b.lostRounds[i]),
);

/** Re-renders only when its samples array or a prop changes (samples are replaced, never mutated). */
export const Sparkline = memo(SparklineImpl);
