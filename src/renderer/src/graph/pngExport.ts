/**
 * PNG export of the path graph. The on-screen SVG shows a zoomed window and
 * is styled by stylesheets, neither of which survives being drawn as an
 * image: the clone gets the full layout bounds, no zoom, and every
 * element's computed style inlined.
 */

/**
 * Dispatched on the svg before it is copied: a graph that lets boxes out of
 * view fall behind (useVisibleArea) brings them all up to date first.
 */
export const RENDER_ALL_EVENT = 'hopscope:render-all';

export interface SvgExportOptions {
  /** Layout bounds; default to the svg's data-layout-width/height (set by PathGraph). */
  width?: number;
  height?: number;
  /** CSS colour painted behind the graph; transparent when omitted. */
  background?: string;
  /** Lines drawn above the graph (what was measured); the caller makes them printable. */
  header?: readonly string[];
  /** CSS colour of the header text. */
  foreground?: string;
}

const HEADER_LINE = 18;
const HEADER_PAD = 12;

export interface PngExportOptions extends SvgExportOptions {
  /** Device pixels per layout pixel. */
  scale?: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const MAX_CANVAS_SIDE = 16_384;
const MAX_CANVAS_AREA = 128 * 1024 * 1024;

/** Properties that change how SVG paints; everything else stays with the defaults. */
const INLINED_STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'color',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant-numeric',
  'letter-spacing',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
] as const;

function layoutBound(svg: SVGSVGElement, attr: string, given: number | undefined): number {
  if (given !== undefined) return given;
  const value = Number(svg.getAttribute(attr));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`svgToPngBlob: no ${attr} on the svg; pass width/height`);
  return value;
}

function inlineComputedStyle(source: Element, target: Element): void {
  const view = source.ownerDocument.defaultView;
  if (view === null || !('style' in target)) return;
  const computed = view.getComputedStyle(source);
  const style = (target as SVGElement).style;
  for (const prop of INLINED_STYLE_PROPERTIES) {
    const value = computed.getPropertyValue(prop);
    if (value !== '') style.setProperty(prop, value);
  }
}

/**
 * A standalone copy of the graph SVG covering its full layout bounds, with
 * computed styles inlined. Exported for tests; `svgToPngBlob` draws it.
 */
export function cloneSvgForExport(svg: SVGSVGElement, options: SvgExportOptions = {}): SVGSVGElement {
  svg.dispatchEvent(new Event(RENDER_ALL_EVENT));
  const header = options.header ?? [];
  const headerHeight = header.length === 0 ? 0 : HEADER_PAD * 2 + header.length * HEADER_LINE;
  const graphWidth = layoutBound(svg, 'data-layout-width', options.width);
  // Header lines are not wrapped: widen the image to the longest (a generous 7.2 px per character at 13 px).
  const width = Math.max(graphWidth, ...header.map((line) => Math.ceil(HEADER_PAD * 2 + line.length * 7.2)));
  const height = layoutBound(svg, 'data-layout-height', options.height) + headerHeight;
  const clone = svg.cloneNode(true) as SVGSVGElement;

  // Same tree shape, so walk both in step to pair each element with its original.
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const copy = copies[i];
    if (copy !== undefined) inlineComputedStyle(original, copy);
  });

  for (const layer of clone.querySelectorAll('[data-zoom-layer]')) {
    if (headerHeight > 0) layer.setAttribute('transform', `translate(0,${headerHeight})`);
    else layer.removeAttribute('transform');
  }
  clone.removeAttribute('class');
  clone.removeAttribute('tabindex');
  clone.removeAttribute('aria-activedescendant');
  clone.style.removeProperty('width');
  clone.style.removeProperty('height');
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);

  if (options.background !== undefined) {
    const doc = svg.ownerDocument;
    const backdrop = doc.createElementNS(SVG_NS, 'rect');
    backdrop.setAttribute('width', String(width));
    backdrop.setAttribute('height', String(height));
    backdrop.setAttribute('fill', options.background);
    clone.insertBefore(backdrop, clone.firstChild);
  }
  header.forEach((line, i) => {
    const text = svg.ownerDocument.createElementNS(SVG_NS, 'text');
    text.setAttribute('x', String(HEADER_PAD));
    text.setAttribute('y', String(HEADER_PAD + (i + 1) * HEADER_LINE - 5));
    text.setAttribute('font-family', 'system-ui, sans-serif');
    text.setAttribute('font-size', i === 0 ? '14' : '12.5');
    text.setAttribute('font-weight', i === 0 ? '600' : '400');
    text.setAttribute('fill', options.foreground ?? '#1a1e24');
    text.setAttribute('data-export-header', '');
    // textContent, never markup: a hostile host name stays text.
    text.textContent = line;
    clone.appendChild(text);
  });
  return clone;
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('svgToPngBlob: the browser could not render the SVG'));
    image.src = url;
  });
}

/** Renders the whole graph (not just the zoomed view) to a PNG. */
export async function svgToPngBlob(svg: SVGSVGElement, options: PngExportOptions = {}): Promise<Blob> {
  const clone = cloneSvgForExport(svg, options);
  const width = Number(clone.getAttribute('width'));
  const height = Number(clone.getAttribute('height'));
  // Browsers refuse canvases beyond ~16k px a side or ~268M px; a 64-hop path in one row gets near that.
  const scale = Math.min(
    options.scale ?? 2,
    MAX_CANVAS_SIDE / width,
    MAX_CANVAS_SIDE / height,
    Math.sqrt(MAX_CANVAS_AREA / (width * height)),
  );
  const markup = new XMLSerializer().serializeToString(clone);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = await loadImage(url);
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('svgToPngBlob: no 2D canvas context');
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob(
        (blob) => (blob === null ? reject(new Error('svgToPngBlob: encoding failed')) : resolve(blob)),
        'image/png',
      );
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}
