/**
 * PNG export of the world map, through the graph's exporter: the same
 * inlined styles and 2× drawing, painted on the theme's background.
 */
import { svgToPngBlob } from '../graph/pngExport';

export function worldMapPng(svg: SVGSVGElement): Promise<Blob> {
  const background = getComputedStyle(svg).getPropertyValue('--hs-bg').trim() || undefined;
  return svgToPngBlob(svg, { scale: 2, background });
}
