/**
 * The time axis under the rows, drawn by d3-axis in an effect (React renders
 * the empty group), over a strip where dragging pans the view.
 */
import { useEffect, useRef } from 'react';
import { select } from 'd3-selection';
import { axisBottom } from 'd3-axis';
import { scaleTime } from 'd3-scale';
import { AXIS_HEIGHT } from './timelineRows';
import { PAN_CLASS } from './useTimelineGestures';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A tick's label in 24-hour local time, as the focus control writes times:
 * the date at midnight, "HH:MM" on whole minutes, ":SS" between them (d3's
 * default would write 12-hour "12:29" after midnight).
 */
export function timeTickLabel(date: Date): string {
  if (date.getSeconds() !== 0 || date.getMilliseconds() !== 0) {
    return date.getMilliseconds() === 0
      ? `:${pad(date.getSeconds())}`
      : `.${String(date.getMilliseconds()).padStart(3, '0')}`;
  }
  if (date.getHours() === 0 && date.getMinutes() === 0)
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** About one tick label per this many pixels. */
const PX_PER_TICK = 110;

export function TimelineAxis({ from, to, width, top }: { from: number; to: number; width: number; top: number }) {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (ref.current === null || width <= 0) return;
    const x = scaleTime().domain([from, to]).range([0, width]);
    select(ref.current).call(
      axisBottom(x)
        .ticks(Math.max(2, Math.floor(width / PX_PER_TICK)))
        .tickSizeOuter(0)
        .tickFormat((tick) => timeTickLabel(tick instanceof Date ? tick : new Date(Number(tick)))),
    );
  }, [from, to, width]);
  return (
    <g transform={`translate(0,${top})`}>
      <rect className={`${PAN_CLASS} hs-tl-axis-strip`} width={width} height={AXIS_HEIGHT}>
        <title>Drag to pan, scroll to zoom</title>
      </rect>
      <g ref={ref} className="hs-tl-axis" pointerEvents="none" />
    </g>
  );
}
