/**
 * Recent RTT of one responder as a tiny line: one slot per round, exactly
 * the last N rounds, clipped to its box. A lost probe gets a red tick in its
 * round's slot and breaks the line; a TCP SYN retransmission gets a mark at
 * the top instead of posing as latency.
 */
import { memo, useMemo } from 'react';
import { tickIncrement } from 'd3-array';
import type { Sample } from '@shared/traceFile';
import { sparklineWindow } from './sparklineWindow';
import './Sparkline.css';

export interface SparklineProps {
  /** Samples of one TTL, oldest first (all responders; `address` picks one). */
  samples: readonly Sample[];
  /** Show only this responder's replies; lost probes of the TTL are shown regardless. Omit for all. */
  address?: string | null;
  /**
   * Whether a lost probe breaks the line (default). Off for one of several
   * ECMP responders: a loss at the TTL can't be pinned to a branch.
   */
  lossBreaksLine?: boolean;
  /** How many recent rounds to show. */
  rounds?: number;
  /** Last round of the window; pass the path's latest round so sparklines line up in time. */
  lastRound?: number;
  /** Top of the y scale in ms (shared across the path); defaults to this sparkline's own maximum. */
  maxMs?: number;
  /** Rounds whose reply is a TCP SYN retransmission. */
  retransmitRounds?: ReadonlySet<number>;
  width?: number;
  height?: number;
  /** Position when embedded in another SVG. */
  x?: number;
  y?: number;
}

export const SPARKLINE_DEFAULTS = { rounds: 60, width: 120, height: 20 } as const;

/** Height of the loss ticks at the bottom edge and the retransmission marks at the top. */
const TICK = 4;

/**
 * The top of the y domain as d3's linear scale nice() makes it, for a domain
 * starting at 0 (inlined: every node redraws each round).
 */
export function niceTop(top: number): number {
  if (!(top > 0) || !Number.isFinite(top)) return 1;
  let stop = top;
  let prestep: number | undefined;
  for (let iterations = 10; iterations > 0; iterations--) {
    const step = tickIncrement(0, stop, 10);
    if (step === prestep) return stop;
    if (step > 0) stop = Math.ceil(stop / step) * step;
    else if (step < 0) stop = Math.floor(stop * step) / step;
    else break;
    prestep = step;
  }
  return top;
}

/** What a sparkline draws, in its own pixel space (0…width × 0…height). */
export interface SparklineShape {
  /** Path data of the RTT line, null when no reply is in the window. */
  d: string | null;
  /** Replies with no neighbour on the line, drawn as dots. */
  dots: { x: number; y: number }[];
  /** x of each lost round's tick. */
  ticks: number[];
  /** x of each SYN retransmission mark. */
  retransmits: number[];
  /** Vertices of the line plus dots: at most one per round. */
  points: number;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export function sparklineShape(
  samples: readonly Sample[],
  {
    address,
    lossBreaksLine = true,
    rounds = SPARKLINE_DEFAULTS.rounds,
    lastRound,
    maxMs,
    retransmitRounds,
    width = SPARKLINE_DEFAULTS.width,
    height = SPARKLINE_DEFAULTS.height,
  }: Omit<SparklineProps, 'samples' | 'x' | 'y'>,
): SparklineShape {
  const w = sparklineWindow(samples, { address, rounds, lastRound, retransmitRounds });
  const slots = w.rttMs.length;
  const slotWidth = width / slots;
  const xOf = (slot: number) => round2((slot + 0.5) * slotWidth);
  const yTop = niceTop(maxMs ?? w.maxRttMs ?? 1);
  const yBottom = height - TICK - 1;
  const yOf = (ms: number) => round2(yBottom - (Math.min(yTop, Math.max(0, ms)) / yTop) * (yBottom - 1));

  let d = '';
  let run: { x: number; y: number }[] = [];
  const dots: SparklineShape['dots'] = [];
  let points = 0;
  const endRun = () => {
    if (run.length === 1 && run[0] !== undefined) dots.push(run[0]);
    else run.forEach((p, i) => (d += `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`));
    points += run.length;
    run = [];
  };
  const ticks: number[] = [];
  const retransmits: number[] = [];
  for (let slot = 0; slot < slots; slot++) {
    if (w.lost[slot] === true) ticks.push(xOf(slot));
    if (w.retransmit[slot] === true) retransmits.push(xOf(slot));
    const ms = w.rttMs[slot];
    if (ms != null) run.push({ x: xOf(slot), y: yOf(ms) });
    else if (w.lost[slot] === true && lossBreaksLine) endRun();
  }
  endRun();
  return { d: d === '' ? null : d, dots, ticks, retransmits, points };
}

function SparklineImpl({ x, y, samples, ...options }: SparklineProps) {
  const { address, lossBreaksLine, rounds, lastRound, maxMs, retransmitRounds } = options;
  const width = options.width ?? SPARKLINE_DEFAULTS.width;
  const height = options.height ?? SPARKLINE_DEFAULTS.height;
  const shape = useMemo(
    () =>
      sparklineShape(samples, { address, lossBreaksLine, rounds, lastRound, maxMs, retransmitRounds, width, height }),
    [samples, address, lossBreaksLine, rounds, lastRound, maxMs, retransmitRounds, width, height],
  );
  // overflow hidden: nothing a sparkline draws can reach a neighbouring box.
  return (
    <svg
      className="hs-sparkline"
      data-testid="sparkline"
      x={x}
      y={y}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      overflow="hidden"
      aria-hidden="true"
    >
      <line className="hs-sparkline-baseline" x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} />
      {shape.d !== null && <path className="hs-sparkline-line" d={shape.d} />}
      {/* Keyed by position in the list: as the window slides, the same elements move (no churn). */}
      {shape.dots.map((dot, i) => (
        <circle key={i} className="hs-sparkline-dot" cx={dot.x} cy={dot.y} r={1.25} />
      ))}
      {shape.ticks.map((tx, i) => (
        <line key={i} className="hs-sparkline-loss" x1={tx} x2={tx} y1={height} y2={height - TICK} />
      ))}
      {shape.retransmits.map((tx, i) => (
        <line key={i} className="hs-sparkline-retransmit" x1={tx} x2={tx} y1={0} y2={TICK} />
      ))}
    </svg>
  );
}

/** Re-renders only when its samples array or a prop changes (samples are replaced, never mutated). */
export const Sparkline = memo(SparklineImpl);
