/**
 * Recent RTT of one responder as a tiny line. Lost probes break the line
 * (d3 line().defined) and get a red tick, so loss is visible even when the
 * RTT line is flat.
 */
import { memo, useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { max } from 'd3-array';
import type { Sample } from '../../../shared/traceFile';

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

interface Point {
  round: number;
  rttMs: number | null;
}

/** The points a sparkline draws: the window's replies from `address` plus every lost probe. */
export function sparklinePoints(
  samples: readonly Sample[],
  address: string | null | undefined,
  rounds: number,
  lastRound?: number,
): Point[] {
  const last = lastRound ?? samples[samples.length - 1]?.round;
  if (last === undefined) return [];
  const first = last - rounds + 1;
  const points: Point[] = [];
  // Samples are oldest first: walk back from the end and stop at the window.
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i];
    if (s === undefined || s.round < first) break;
    if (s.round > last) continue;
    if (s.rttMs === null) points.push({ round: s.round, rttMs: null });
    else if (address == null || s.address === address) points.push({ round: s.round, rttMs: s.rttMs });
  }
  return points.reverse();
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
  const shape = useMemo(() => {
    const all = sparklinePoints(samples, address, rounds, lastRound);
    const points = lossBreaksLine ? all : all.filter((p) => p.rttMs !== null);
    const last = lastRound ?? all[all.length - 1]?.round ?? 0;
    const xScale = scaleLinear()
      .domain([last - rounds + 1, last])
      .range([1, width - 1]);
    const top = maxMs ?? max(points, (p) => p.rttMs) ?? 1;
    const yScale = scaleLinear()
      .domain([0, top > 0 ? top : 1])
      .range([height - TICK - 1, 1])
      .nice()
      .clamp(true);
    const draw = line<Point>()
      .defined((p) => p.rttMs !== null)
      .x((p) => xScale(p.round))
      .y((p) => yScale(p.rttMs ?? 0));
    // A reply with no defined neighbour is a one-point segment, which a line cannot show.
    const defined = (p: Point | undefined) => p !== undefined && p.rttMs !== null;
    const isolated = points.filter((p, i) => defined(p) && !defined(points[i - 1]) && !defined(points[i + 1]));
    return {
      d: points.some((p) => p.rttMs !== null) ? draw(points) : null,
      dots: isolated.map((p) => ({ cx: xScale(p.round), cy: yScale(p.rttMs ?? 0) })),
      // One tick per round: several lost probes in a round draw the same line (and would repeat its key).
      ticks: [...new Set(all.filter((p) => p.rttMs === null).map((p) => xScale(p.round)))],
    };
  }, [samples, address, lossBreaksLine, rounds, lastRound, maxMs, width, height]);

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
      {shape.dots.map((dot) => (
        <circle key={dot.cx} className="hs-sparkline-dot" cx={dot.cx} cy={dot.cy} r={1.25} />
      ))}
      {shape.ticks.map((tx) => (
        <line key={tx} className="hs-sparkline-loss" x1={tx} x2={tx} y1={height} y2={height - TICK} />
      ))}
    </svg>
  );
}

/** Re-renders only when its samples array or a prop changes (samples are replaced, never mutated). */
export const Sparkline = memo(SparklineImpl);
