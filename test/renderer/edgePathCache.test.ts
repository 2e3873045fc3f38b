/**
 * The edge paths a graph keeps between layouts (EdgePathCache): a layout
 * with them draws exactly the edges of one without, however boxes move,
 * appear or go from one layout to the next.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EdgePathCache } from '../../src/renderer/src/graph/edgeRoute';
import { layoutPath } from '../../src/renderer/src/graph/pathLayout';
import { hop, host } from '../fixtures/traceBuilders';

/** A path of `ttls` hops with the given responder count at each (0: silent). */
function path(responders: readonly number[]) {
  return responders.map((count, i) =>
    hop(
      i + 1,
      Array.from({ length: count }, (_, k) => host(`10.${i + 1}.${k}.1`)),
    ),
  );
}

describe('EdgePathCache', () => {
  it('gives layoutPath the same edges as without it, over any sequence of paths and widths', () => {
    const step = fc.record({
      responders: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 9 }),
      width: fc.option(fc.integer({ min: 200, max: 2400 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const edgePaths = new EdgePathCache();
        for (const { responders, width } of steps) {
          const hops = path(responders);
          const cached = layoutPath(hops, { destinationTtl: null, width, edgePaths });
          expect(cached.edges).toEqual(layoutPath(hops, { destinationTtl: null, width }).edges);
        }
      }),
    );
  });

  it('keeps the path string of an edge whose boxes did not move', () => {
    const edgePaths = new EdgePathCache();
    const first = layoutPath(path([1, 2, 1]), { destinationTtl: null, edgePaths });
    const again = layoutPath(path([1, 2, 1]), { destinationTtl: null, edgePaths });
    expect(again.edges.map((e) => e.path)).toEqual(first.edges.map((e) => e.path));
    // Wrapped into rows, the boxes move: the paths follow them.
    const wrapped = layoutPath(path([1, 2, 1]), { destinationTtl: null, width: 300, edgePaths });
    expect(wrapped.edges.map((e) => e.path)).toEqual(
      layoutPath(path([1, 2, 1]), { destinationTtl: null, width: 300 }).edges.map((e) => e.path),
    );
    expect(wrapped.edges.map((e) => e.path)).not.toEqual(first.edges.map((e) => e.path));
  });
});
