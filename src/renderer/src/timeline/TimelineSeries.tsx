/**
 * One hop's row: its RTT gridlines, the min–max band, the average line and,
 * on a strip under them, its loss. The shapes are computed once per answer
 * from the store, in the pixels of the range that answer covers; zooming and
 * panning only move and stretch them (one transform) until the next answer
 * arrives, so a gesture's frame neither recomputes nor repaints a path.
 * Nothing here touches the DOM but React.
 */
import { memo, useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import type { TimelineBucketInfo } from '@shared/storedSessions';
import { avgPath, bandPath, lossPaths, rttScale } from './timelineShapes';
import { LOSS_HEIGHT } from './timelineRows';
import type { TimeRange } from './timelineView';

export interface TimelineSeriesProps {
  ttl: number;
  colour: number;
  top: number;
  width: number;
  height: number;
  buckets: readonly TimelineBucketInfo[] | undefined;
  bucketMs: number;
  /** The range the buckets cover (the layer's transform shows it in the current view). */
  dataRange: TimeRange | undefined;
  domain: [number, number];
  log: boolean;
}

function formatMs(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toPrecision(1)} ms`;
}

/**
 * How the layer of shapes drawn over `data` (0..width) moves to show `view`:
 * a CSS transform of an HTML layer, which the compositor applies without
 * repainting the paths, until the store's answer for the view arrives.
 */
export function layerTransform(data: TimeRange, view: TimeRange, width: number): string {
  const span = Math.max(1, view.to - view.from);
  const sx = (data.to - data.from) / span;
  const tx = ((data.from - view.from) / span) * width;
  return `translateX(${tx.toFixed(2)}px) scaleX(${sx.toFixed(6)})`;
}

interface ShapesProps {
  width: number;
  height: number;
  buckets: readonly TimelineBucketInfo[];
  bucketMs: number;
  dataRange: TimeRange;
  domain: [number, number];
  log: boolean;
}

const SeriesShapes = memo(function SeriesShapes(props: ShapesProps) {
  const { width, height, buckets, bucketMs, dataRange, domain, log } = props;
  const shapes = useMemo(() => {
    const x = scaleLinear().domain([dataRange.from, dataRange.to]).range([0, width]);
    const { y } = rttScale(domain, log, height);
    return {
      band: bandPath(buckets, bucketMs, x, y),
      avg: avgPath(buckets, bucketMs, x, y),
      loss: lossPaths(buckets, bucketMs, x, LOSS_HEIGHT),
    };
  }, [width, height, buckets, bucketMs, dataRange.from, dataRange.to, domain, log]);
  return (
    <>
      <path className="hs-tl-band" d={shapes.band} />
      <path className="hs-tl-avg" d={shapes.avg} />
      <g className="hs-tl-loss" transform={`translate(0,${height})`}>
        {shapes.loss.map(({ level, d }) => (
          <path key={level} className={`hs-tl-loss-${level}`} d={d} data-testid="timeline-loss" />
        ))}
      </g>
    </>
  );
});

/** A row's frame in the chart: its background, its loss strip and its RTT gridlines (they do not move). */
export function RowBackground(props: {
  top: number;
  width: number;
  height: number;
  domain: [number, number];
  log: boolean;
}) {
  const { top, width, height, domain, log } = props;
  // Two gridlines where they fit, else one (the top).
  const { y, ticks } = useMemo(() => rttScale(domain, log, height, height >= 60 ? 2 : 1), [domain, log, height]);
  return (
    <g transform={`translate(0,${top})`}>
      <rect className="hs-tl-chart-bg" width={width} height={height} />
      <rect className="hs-tl-loss-strip" y={height} width={width} height={LOSS_HEIGHT} />
      {ticks.map((t) => (
        <g key={t} className="hs-tl-grid" transform={`translate(0,${y(t).toFixed(1)})`}>
          <line x2={width} />
          <text x={width - 3} dy={y(t) < 10 ? 9 : -2} textAnchor="end">
            {formatMs(t)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** A hop's drawn series, in the moving layer: its band, average line and loss marks. */
export function TimelineSeries(props: TimelineSeriesProps) {
  const { ttl, colour, top, width, height, buckets, bucketMs, dataRange, domain, log } = props;
  return (
    <g
      className={`hs-tl-series hs-tl-colour-${colour}`}
      data-testid="timeline-series"
      data-ttl={ttl}
      data-buckets={buckets?.length ?? 0}
      transform={`translate(0,${top})`}
    >
      <rect className="hs-tl-series-frame" width={width} height={height + LOSS_HEIGHT} />
      {buckets && dataRange && (
        <SeriesShapes
          width={width}
          height={height}
          buckets={buckets}
          bucketMs={bucketMs}
          dataRange={dataRange}
          domain={domain}
          log={log}
        />
      )}
    </g>
  );
}
