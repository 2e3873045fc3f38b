/**
 * One hop's row: its RTT gridlines, the min–max band, the average line and,
 * on a strip under them, its loss. Paths come from timelineShapes; nothing
 * here touches the DOM but React.
 */
import { memo } from 'react';
import type { TimelineBucketInfo } from '@shared/storedSessions';
import { avgPath, bandPath, lossPaths, rttScale, type PixelScale } from './timelineShapes';
import { LOSS_HEIGHT } from './timelineRows';

export interface TimelineSeriesProps {
  ttl: number;
  colour: number;
  top: number;
  width: number;
  height: number;
  buckets: readonly TimelineBucketInfo[] | undefined;
  bucketMs: number;
  x: PixelScale;
  domain: [number, number];
  log: boolean;
}

function formatMs(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toPrecision(1)} ms`;
}

export const TimelineSeries = memo(function TimelineSeries(props: TimelineSeriesProps) {
  const { ttl, colour, top, width, height, buckets, bucketMs, x, domain, log } = props;
  // Two gridlines where they fit, else one (the top).
  const { y, ticks } = rttScale(domain, log, height, height >= 60 ? 2 : 1);
  return (
    <g
      className={`hs-tl-series hs-tl-colour-${colour}`}
      data-testid="timeline-series"
      data-ttl={ttl}
      data-buckets={buckets?.length ?? 0}
      transform={`translate(0,${top})`}
    >
      <rect className="hs-tl-chart-bg" width={width} height={height} />
      {ticks.map((t) => (
        <g key={t} className="hs-tl-grid" transform={`translate(0,${y(t).toFixed(1)})`}>
          <line x2={width} />
          <text x={width - 3} dy={y(t) < 10 ? 9 : -2} textAnchor="end">
            {formatMs(t)}
          </text>
        </g>
      ))}
      {buckets && (
        <>
          <path className="hs-tl-band" d={bandPath(buckets, bucketMs, x, y)} />
          <path className="hs-tl-avg" d={avgPath(buckets, bucketMs, x, y)} />
          <g className="hs-tl-loss" transform={`translate(0,${height})`}>
            <rect className="hs-tl-loss-strip" width={width} height={LOSS_HEIGHT} />
            {lossPaths(buckets, bucketMs, x, LOSS_HEIGHT).map(({ level, d }) => (
              <path key={level} className={`hs-tl-loss-${level}`} d={d} data-testid="timeline-loss" />
            ))}
          </g>
        </>
      )}
    </g>
  );
});
