/**
 * d3-zoom on the graph's <svg>, confined to an effect: d3 only sets the zoom
 * layer's transform, React renders everything else. Returns the zoom actions
 * for the buttons and keys.
 */
import { useEffect, useEffectEvent, useRef, type RefObject } from 'react';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, zoomTransform, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import type { GraphColumn, PathLayout } from './pathLayout';

const SCALE_EXTENT: [number, number] = [0.05, 4];

// Function-typed members, not methods: callers destructure them.
export interface GraphZoom {
  zoomBy: (factor: number) => void;
  /** Back to 1:1 at the origin. */
  resetZoom: () => void;
  /** The whole path in view (never enlarged beyond 1:1). */
  fitToView: () => void;
  /** Pans so the column is visible, when it is not already. */
  revealColumn: (column: GraphColumn) => void;
}

function viewportExtent(svg: SVGSVGElement, layout: PathLayout): [[number, number], [number, number]] {
  const rect = svg.getBoundingClientRect();
  // No layout engine (tests, hidden tab): pretend the whole graph is visible.
  return [
    [0, 0],
    [rect.width || layout.width, rect.height || layout.height],
  ];
}

export function useGraphZoom(
  svgRef: RefObject<SVGSVGElement | null>,
  layerRef: RefObject<SVGGElement | null>,
  layout: PathLayout,
): GraphZoom {
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const currentLayout = useEffectEvent(() => layout);

  useEffect(() => {
    const svg = svgRef.current;
    const layer = layerRef.current;
    if (svg === null || layer === null) return;
    const behavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent(SCALE_EXTENT)
      .extent(() => viewportExtent(svg, currentLayout()))
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        layer.setAttribute('transform', event.transform.toString());
      });
    const selection = select(svg);
    // Double-click is for selecting, not zooming.
    selection.call(behavior).on('dblclick.zoom', null);
    zoomRef.current = behavior;
    return () => {
      selection.on('.zoom', null);
      zoomRef.current = null;
    };
  }, [svgRef, layerRef]);

  const withZoom = (act: (svg: SVGSVGElement, behavior: ZoomBehavior<SVGSVGElement, unknown>) => void) => {
    const svg = svgRef.current;
    if (svg !== null && zoomRef.current !== null) act(svg, zoomRef.current);
  };

  return {
    zoomBy: (factor) => withZoom((svg, behavior) => behavior.scaleBy(select(svg), factor)),
    resetZoom: () => withZoom((svg, behavior) => behavior.transform(select(svg), zoomIdentity)),
    fitToView: () =>
      withZoom((svg, behavior) => {
        const [, [vw, vh]] = viewportExtent(svg, layout);
        const k = Math.max(SCALE_EXTENT[0], Math.min(1, vw / layout.width, vh / layout.height));
        behavior.transform(select(svg), zoomIdentity.translate((vw - layout.width * k) / 2, 0).scale(k));
      }),
    revealColumn: (column) =>
      withZoom((svg, behavior) => {
        const t = zoomTransform(svg);
        const [, [vw, vh]] = viewportExtent(svg, layout);
        const [x0, y0] = t.apply([column.x, column.top]);
        const [x1, y1] = t.apply([column.x + column.width, column.bottom]);
        if (x0 >= 0 && y0 >= 0 && x1 <= vw && y1 <= vh) return;
        behavior.translateTo(select(svg), column.x + column.width / 2, (column.top + column.bottom) / 2);
      }),
  };
}
