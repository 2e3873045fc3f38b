/**
 * The part of the graph's layout a person can see: the <svg>'s box seen
 * through the zoom transform, plus a margin. The graph lets only the boxes
 * in it follow live updates; the rest keep what they last drew until panned
 * or zoomed into view (a 30-hop ECMP path has ~120 boxes, of which a dozen
 * fit the pane), so a live batch costs the render, layout, paint and raster
 * of what is on screen.
 *
 * Layout is read only when the view changes (zoom, pan, resize), never on a
 * live update. Before anything copies the whole graph (PNG export: see
 * RENDER_ALL_EVENT), every box is brought up to date synchronously.
 */
import { useEffect, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { zoomTransform } from 'd3-zoom';
import { RENDER_ALL_EVENT } from './pngExport';

export interface VisibleArea {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Beyond the view, in screen px: a short pan shows boxes already up to date. */
const MARGIN_PX = 160;

export function inArea(
  area: VisibleArea | null,
  box: { x: number; y: number; width: number; height: number },
): boolean {
  return (
    area === null || (box.x < area.x1 && box.x + box.width > area.x0 && box.y < area.y1 && box.y + box.height > area.y0)
  );
}

function readArea(svg: SVGSVGElement): VisibleArea | null {
  const { width, height } = svg.getBoundingClientRect();
  // No layout engine (tests) or a hidden pane: treat everything as visible.
  if (width === 0 || height === 0) return null;
  const t = zoomTransform(svg);
  const [x0, y0] = t.invert([-MARGIN_PX, -MARGIN_PX]);
  const [x1, y1] = t.invert([width + MARGIN_PX, height + MARGIN_PX]);
  return { x0, y0, x1, y1 };
}

const sameArea = (a: VisibleArea | null, b: VisibleArea | null) =>
  a === b || (a !== null && b !== null && a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1);

/**
 * The visible area of the graph in `svgRef`, whose zoom layer (`layerRef`)
 * gets d3-zoom's transform; null while unknown (everything counts as visible).
 */
export function useVisibleArea(
  svgRef: RefObject<SVGSVGElement | null>,
  layerRef: RefObject<SVGGElement | null>,
): VisibleArea | null {
  const [area, setArea] = useState<VisibleArea | null>(null);

  useEffect(() => {
    const svg = svgRef.current;
    const layer = layerRef.current;
    if (svg === null || layer === null) return;
    let frame: number | null = null;
    // At most once per frame however many zoom events come in.
    const update = () => {
      if (frame !== null) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        const next = readArea(svg);
        setArea((old) => (sameArea(old, next) ? old : next));
      });
    };
    const renderAll = () => {
      flushSync(() => setArea(null));
      update(); // and back to the view once the copy is made
    };
    update();
    // d3-zoom writes every pan and zoom as the layer's transform attribute.
    const zoomWatch = new MutationObserver(update);
    zoomWatch.observe(layer, { attributes: true, attributeFilter: ['transform'] });
    const resizeWatch = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    resizeWatch?.observe(svg);
    svg.addEventListener(RENDER_ALL_EVENT, renderAll);
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      zoomWatch.disconnect();
      resizeWatch?.disconnect();
      svg.removeEventListener(RENDER_ALL_EVENT, renderAll);
    };
  }, [svgRef, layerRef]);

  return area;
}
