/**
 * Only the graph's boxes in view follow live updates (useVisibleArea); the
 * others catch up when they come into view or before the graph is copied for
 * export. happy-dom has no layout, so the pane's box is given here.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import type { HopStatsUpdate } from '@shared/session';
import { PathGraph } from '../../src/renderer/src/graph/PathGraph';
import { cloneSvgForExport } from '../../src/renderer/src/graph/pngExport';
import { inArea } from '../../src/renderer/src/graph/useVisibleArea';
import { hop, host } from '../fixtures/traceBuilders';
import { render } from './renderInDom';

/** A 30-hop path whose every responder averages `avgMs`. */
function path(avgMs: number): HopStatsUpdate[] {
  return Array.from({ length: 30 }, (_, i) => hop(i + 1, [host(`10.0.0.${i + 1}`, { avgMs })]));
}

const rttOf = (svg: ParentNode, ttl: number) =>
  svg.querySelector(`[data-testid="hop-node"][data-ttl="${ttl}"] .hs-node-rtt`)!.textContent;

/** Lets the hook's animation-frame read of the view run. */
const nextFrame = () => act(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));

describe('graph boxes out of view', () => {
  beforeEach(() => {
    // The graph pane: 600 × 300 px.
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 600, 300));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('keep what they drew until an export brings every box up to date', async () => {
    const props = { destinationTtl: 30, selectedTtl: null, onSelectTtl: () => {}, width: 600 };
    const { container, rerender, unmount } = render(<PathGraph hops={path(5)} {...props} />);
    await nextFrame();
    const svg = container.querySelector<SVGSVGElement>('svg.hs-path-graph-svg')!;
    expect(rttOf(svg, 1)).toBe('5.0 ms');
    expect(rttOf(svg, 30)).toBe('5.0 ms');

    rerender(<PathGraph hops={path(7)} {...props} />);
    // Hop 1 is at the top left, in view; hop 30 wrapped to rows far below the 300 px pane.
    expect(rttOf(svg, 1)).toBe('7.0 ms');
    expect(rttOf(svg, 30)).toBe('5.0 ms');

    // What an export copies is current, every box of it.
    const copy = cloneSvgForExport(svg);
    expect(rttOf(copy, 30)).toBe('7.0 ms');
    expect(rttOf(svg, 30)).toBe('7.0 ms');
    unmount();
  });

  it('counts a box as in view when it overlaps the area, and everything while the area is unknown', () => {
    const area = { x0: 0, y0: 0, x1: 100, y1: 100 };
    expect(inArea(area, { x: 90, y: 90, width: 50, height: 50 })).toBe(true);
    expect(inArea(area, { x: 100, y: 0, width: 50, height: 50 })).toBe(false);
    expect(inArea(area, { x: 0, y: -60, width: 50, height: 50 })).toBe(false);
    expect(inArea(null, { x: 1e6, y: 1e6, width: 1, height: 1 })).toBe(true);
  });
});
