import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { placeTooltip } from '../../src/renderer/src/graph/tooltipPlacement';

describe('placeTooltip', () => {
  it('sits beside the pointer when there is room, and flips near the edges', () => {
    const viewport = { width: 1024, height: 700 };
    const size = { width: 300, height: 260 };
    expect(placeTooltip({ x: 100, y: 100 }, size, viewport)).toEqual({ left: 114, top: 114 });
    // Near the right and bottom edges (a node over the table pane): left of and above the pointer.
    expect(placeTooltip({ x: 1000, y: 690 }, size, viewport)).toEqual({ left: 686, top: 416 });
  });

  it('is always wholly inside the window when it fits in it', () => {
    fc.assert(
      fc.property(
        fc.record({ width: fc.integer({ min: 200, max: 3000 }), height: fc.integer({ min: 200, max: 2000 }) }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (viewport, px, py, sw, sh) => {
          const size = { width: sw * (viewport.width - 16), height: sh * (viewport.height - 16) };
          const { left, top } = placeTooltip({ x: px * viewport.width, y: py * viewport.height }, size, viewport);
          expect(left).toBeGreaterThanOrEqual(8);
          expect(top).toBeGreaterThanOrEqual(8);
          expect(left + size.width).toBeLessThanOrEqual(viewport.width - 8 + 1e-9);
          expect(top + size.height).toBeLessThanOrEqual(viewport.height - 8 + 1e-9);
        },
      ),
    );
  });
});
