/**
 * The timeline's gestures, d3 confined to effects: d3-zoom (the wheel
 * anywhere on the plot zooms, dragging the time axis pans) and d3-brush
 * (dragging across the series sets the focus window; a click clears it).
 * Neither draws anything React renders: zoom reports a view, the brush a
 * time range, and the brush's own rectangle is cleared once it reported.
 */
import { useEffect, useEffectEvent, useRef, type RefObject } from 'react';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import { brushX, type BrushBehavior, type D3BrushEvent } from 'd3-brush';
import { maxZoom, viewFromZoom, zoomForView, type TimeRange } from './timelineView';

/** A drag narrower than this (pixels) is a click: it clears the focus. */
const MIN_BRUSH_PX = 3;
/** Elements inside the plot where a drag pans (the time axis strip). */
export const PAN_CLASS = 'hs-tl-pan';

export interface GestureFrame {
  extent: TimeRange;
  view: TimeRange;
  /** Plot width and the height of the series area (where the brush works). */
  width: number;
  seriesHeight: number;
  /** Pixel → time in the current view. */
  invert: (px: number) => number;
}

export interface GestureHandlers {
  /** The person zoomed or panned to this view. */
  onView: (view: TimeRange) => void;
  /** The person brushed this range, or cleared the focus (null). */
  onBrush: (range: TimeRange | null) => void;
}

export function useTimelineGestures(
  plotRef: RefObject<SVGGElement | null>,
  brushRef: RefObject<SVGGElement | null>,
  frame: GestureFrame,
  handlers: GestureHandlers,
): void {
  const zoomRef = useRef<ZoomBehavior<SVGGElement, unknown> | null>(null);
  const brushBehavior = useRef<BrushBehavior<unknown> | null>(null);
  const current = useEffectEvent(() => frame);
  const onView = useEffectEvent((view: TimeRange) => handlers.onView(view));
  const onBrush = useEffectEvent((range: TimeRange | null) => handlers.onBrush(range));

  useEffect(() => {
    const plot = plotRef.current;
    if (plot === null) return;
    const behavior = zoom<SVGGElement, unknown>()
      // Wheel zooms anywhere; dragging pans only on the axis strip (a drag on the series brushes).
      .filter((event: Event) => {
        if (event.type === 'wheel') return true;
        const target = event.target as Element | null;
        const button = (event as MouseEvent).button ?? 0;
        return button === 0 && target?.closest(`.${PAN_CLASS}`) != null;
      })
      .on('zoom', (event: D3ZoomEvent<SVGGElement, unknown>) => {
        // Programmatic transforms (keeping d3 in step with the view) have no source event.
        if (!event.sourceEvent) return;
        const { extent, width } = current();
        onView(viewFromZoom({ k: event.transform.k, x: event.transform.x }, extent, width));
      });
    const selection = select(plot);
    selection.call(behavior).on('dblclick.zoom', null);
    zoomRef.current = behavior;
    return () => {
      selection.on('.zoom', null);
      zoomRef.current = null;
    };
  }, [plotRef]);

  // Keep d3's transform and limits in step with the view React holds (it follows "now", or another tab's).
  const { width, seriesHeight } = frame;
  const [extentFrom, extentTo] = [frame.extent.from, frame.extent.to];
  const [viewFrom, viewTo] = [frame.view.from, frame.view.to];
  useEffect(() => {
    const plot = plotRef.current;
    const behavior = zoomRef.current;
    if (plot === null || behavior === null || width <= 0) return;
    const extent = { from: extentFrom, to: extentTo };
    const height = Math.max(1, seriesHeight);
    behavior
      .scaleExtent([1, maxZoom(extent)])
      .extent([
        [0, 0],
        [width, height],
      ])
      .translateExtent([
        [0, 0],
        [width, height],
      ]);
    const { k, x } = zoomForView({ from: viewFrom, to: viewTo }, extent, width);
    behavior.transform(select(plot), zoomIdentity.translate(x, 0).scale(k));
  }, [plotRef, extentFrom, extentTo, viewFrom, viewTo, width, seriesHeight]);

  useEffect(() => {
    const g = brushRef.current;
    if (g === null || width <= 0 || seriesHeight <= 0) return;
    const behavior = brushX<unknown>()
      .extent([
        [0, 0],
        [width, seriesHeight],
      ])
      .on('end', (event: D3BrushEvent<unknown>) => {
        if (!event.sourceEvent) return;
        const selection = event.selection as [number, number] | null;
        if (selection === null || selection[1] - selection[0] < MIN_BRUSH_PX) onBrush(null);
        else {
          const { invert } = current();
          onBrush({ from: invert(selection[0]), to: invert(selection[1]) });
        }
        // The focus is drawn by React from the tab's state; d3's own rectangle goes.
        if (selection !== null) behavior.move(select(g), null);
      });
    const selection = select(g);
    selection.call(behavior);
    brushBehavior.current = behavior;
    return () => {
      selection.on('.brush', null);
      selection.selectAll('*').remove();
      brushBehavior.current = null;
    };
  }, [brushRef, width, seriesHeight]);
}
