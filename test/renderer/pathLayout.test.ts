import { describe, expect, it } from 'vitest';
import { layoutPath, type GraphNode, type PathLayout } from '../../src/renderer/src/graph/pathLayout';
import { hop, host, sample, straightPath } from '../fixtures/traceBuilders';

function edgePairs(layout: PathLayout): string[] {
  return layout.edges.map((e) => `${e.source}>${e.target}`).sort();
}

function overlaps(a: GraphNode, b: GraphNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function expectInBounds(layout: PathLayout): void {
  const outside = layout.nodes.filter(
    (n) => n.x < 0 || n.y < 0 || n.x + n.width > layout.width || n.y + n.height > layout.height,
  );
  expect(outside.map((n) => n.id)).toEqual([]);
}

function expectNoOverlap(layout: PathLayout): void {
  // Sweep by x so 512 boxes don't need 130k comparisons.
  const sorted = [...layout.nodes].sort((a, b) => a.x - b.x);
  const clashes: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.x < a.x + a.width; j++) {
      if (overlaps(a, sorted[j]!)) clashes.push(`${a.id} overlaps ${sorted[j]!.id}`);
    }
  }
  expect(clashes).toEqual([]);
}

describe('layoutPath', () => {
  it('lays a straight path out left to right, one node per TTL', () => {
    const layout = layoutPath(straightPath(5), { destinationTtl: 5 });
    expect(layout.nodes.map((n) => n.ttl)).toEqual([1, 2, 3, 4, 5]);
    const xs = layout.nodes.map((n) => n.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(new Set(layout.nodes.map((n) => n.y)).size).toBe(1);
    expect(edgePairs(layout)).toEqual([
      '1:10.0.0.1>2:10.0.0.2',
      '2:10.0.0.2>3:10.0.0.3',
      '3:10.0.0.3>4:10.0.0.4',
      '4:10.0.0.4>5:10.0.0.5',
    ]);
    expect(layout.edges.every((e) => e.kind === 'inferred')).toBe(true);
    expect(layout.edges.every((e) => e.path.startsWith('M'))).toBe(true);
    expectInBounds(layout);
  });

  it('flags the destination and carries stats, class and labels on nodes', () => {
    const hops = [
      hop(1, [host('192.168.1.1', { hostname: 'gw.lan', avgMs: 1.2 })]),
      hop(2, [host('100.64.3.1')], { lossPct: 20 }),
      hop(3, [host('93.184.216.34')]),
    ];
    const layout = layoutPath(hops, { destinationTtl: 3, targetAddress: '93.184.216.34' });
    const [gw, cgn, dest] = layout.nodes;
    expect(gw).toMatchObject({
      ttl: 1,
      address: '192.168.1.1',
      hostname: 'gw.lan',
      avgMs: 1.2,
      addressClass: 'private',
      badge: 'private',
      isDestination: false,
    });
    expect(gw!.host?.address).toBe('192.168.1.1');
    expect(gw!.label).toEqual({ address: '192.168.1.1', hostname: 'gw.lan' });
    expect(cgn).toMatchObject({ addressClass: 'cgnat', lossPct: 20, lossPersists: false });
    expect(dest).toMatchObject({ addressClass: 'global', badge: null, isDestination: true });
  });

  it('keeps TTLs the engine marked off the path, flagged, and judges loss on the path only', () => {
    const hops = straightPath(8).map((h) => (h.ttl > 4 ? { ...h, onPath: false } : h));
    const lossy = hops.map((h) => (h.ttl === 3 ? { ...h, lossPct: 40 } : h.ttl > 4 ? { ...h, lossPct: 0 } : h));
    const layout = layoutPath(lossy, { destinationTtl: 4 });
    expect(layout.columns.map((c) => c.ttl)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(layout.nodes.filter((n) => !n.onPath).map((n) => n.ttl)).toEqual([5, 6, 7, 8]);
    expect(layout.nodes.filter((n) => n.isDestination).map((n) => n.ttl)).toEqual([4]);
    // TTL 4 (on the path) loses nothing: TTL 3's loss does not persist; hops 5-8 are not asked.
    expect(layout.nodes.find((n) => n.ttl === 3)!.lossPersists).toBe(false);
    expect(layoutPath(straightPath(3), { destinationTtl: 3 }).nodes.every((n) => n.onPath)).toBe(true);
  });

  it('stacks ECMP responders in one column and draws the edges one flow saw (ICMP, UDP with both ports)', () => {
    const hops = [
      hop(1, [host('10.0.0.1', { received: 4 })], { sent: 4 }),
      hop(2, [host('10.0.1.1', { received: 2 }), host('10.0.2.1', { received: 2 })], { sent: 4 }),
      hop(3, [host('10.0.3.1', { received: 2 }), host('10.0.4.1', { received: 2 })], { sent: 4 }),
    ];
    const samples = {
      1: [sample(0, '10.0.0.1', 1), sample(1, '10.0.0.1', 1), sample(2, '10.0.0.1', 1), sample(3, '10.0.0.1', 1)],
      2: [sample(0, '10.0.1.1', 2), sample(1, '10.0.2.1', 2), sample(2, '10.0.1.1', 2), sample(3, '10.0.2.1', 2)],
      // Branch 10.0.1.1 always continues to 10.0.3.1, 10.0.2.1 to 10.0.4.1.
      3: [sample(0, '10.0.3.1', 3), sample(1, '10.0.4.1', 3), sample(2, '10.0.3.1', 3), sample(3, '10.0.4.1', 3)],
    };
    const layout = layoutPath(hops, { destinationTtl: null, samples, flowFixedPerRound: true });
    const ttl2 = layout.nodes.filter((n) => n.ttl === 2);
    expect(ttl2).toHaveLength(2);
    expect(ttl2[0]!.x).toBe(ttl2[1]!.x);
    expect(ttl2[0]!.y).not.toBe(ttl2[1]!.y);
    expect(ttl2.map((n) => n.replyShare)).toEqual([0.5, 0.5]);
    expect(edgePairs(layout)).toEqual([
      '1:10.0.0.1>2:10.0.1.1',
      '1:10.0.0.1>2:10.0.2.1',
      '2:10.0.1.1>3:10.0.3.1',
      '2:10.0.2.1>3:10.0.4.1',
    ]);
    expect(layout.edges.every((e) => e.kind === 'observed' && e.count === 2 && e.weight === 1)).toBe(true);
    expectNoOverlap(layout);

    // Probes that vary their flow (UDP without fixed ports, TCP): the same samples prove nothing
    // between two split TTLs, so every pair there is only possible; a single responder still links for sure.
    const varying = layoutPath(hops, { destinationTtl: null, samples, flowFixedPerRound: false });
    const kinds = Object.fromEntries(varying.edges.map((e) => [`${e.source}>${e.target}`, e.kind]));
    expect(kinds).toEqual({
      '1:10.0.0.1>2:10.0.1.1': 'observed',
      '1:10.0.0.1>2:10.0.2.1': 'observed',
      '2:10.0.1.1>3:10.0.3.1': 'possible',
      '2:10.0.1.1>3:10.0.4.1': 'possible',
      '2:10.0.2.1>3:10.0.3.1': 'possible',
      '2:10.0.2.1>3:10.0.4.1': 'possible',
    });
  });

  it('reads samples from hops that carry them (a saved file)', () => {
    const hops = [
      { ...hop(1, [host('10.0.0.1')]), samples: [sample(0, '10.0.0.1', 1)] },
      { ...hop(2, [host('10.0.1.1'), host('10.0.2.1')]), samples: [sample(0, '10.0.2.1', 2)] },
    ];
    const layout = layoutPath(hops, { destinationTtl: null });
    // 10.0.1.1 was never seen after 10.0.0.1 in a shared round, but must not dangle.
    expect(layout.edges.map((e) => [e.target, e.kind])).toEqual([
      ['2:10.0.2.1', 'observed'],
      ['2:10.0.1.1', 'inferred'],
    ]);
  });

  it('connects all-to-all when samples share no round', () => {
    const hops = [hop(1, [host('10.0.0.1'), host('10.0.0.2')]), hop(2, [host('10.0.1.1'), host('10.0.1.2')])];
    const samples = { 1: [sample(0, '10.0.0.1', 1)], 2: [sample(5, '10.0.1.1', 2)] };
    const layout = layoutPath(hops, { destinationTtl: null, samples, flowFixedPerRound: true });
    expect(layout.edges).toHaveLength(4);
    expect(layout.edges.every((e) => e.kind === 'inferred')).toBe(true);
  });

  it('gives a silent TTL its own node and routes the path through it', () => {
    const hops = [
      hop(1, [host('10.0.0.1')]),
      hop(2, [], { sent: 10, received: 0, lossPct: 100 }),
      hop(3, [host('10.0.0.3'), host('10.0.0.4')]),
    ];
    const layout = layoutPath(hops, { destinationTtl: null });
    const silent = layout.nodes.find((n) => n.ttl === 2)!;
    expect(silent).toMatchObject({ kind: 'silent', address: null, host: null, lossPct: 100, lossPersists: false });
    expect(silent.label.address).toBe('no reply');
    expect(edgePairs(layout)).toEqual(['1:10.0.0.1>2:*', '2:*>3:10.0.0.3', '2:*>3:10.0.0.4']);
    expect(layout.edges.every((e) => e.kind === 'silent')).toBe(true);
    // Nothing jumps over the silent hop.
    expect(layout.edges.every((e) => e.targetTtl - e.sourceTtl === 1)).toBe(true);
  });

  it('marks loss that continues downstream as persisting', () => {
    const hops = [hop(1, [host('10.0.0.1')], { lossPct: 30 }), hop(2, [host('10.0.0.2')], { lossPct: 28 })];
    const layout = layoutPath(hops, { destinationTtl: 2 });
    expect(layout.nodes[0]!.lossPersists).toBe(true);
    expect(layout.nodes[1]!.lossPersists).toBeNull();
  });

  it('keeps 64 hops × 8 responders readable: no overlaps, all inside the bounds', () => {
    const hops = Array.from({ length: 64 }, (_, t) =>
      hop(
        t + 1,
        Array.from({ length: 8 }, (_, r) =>
          host(`2001:db8:${t.toString(16)}:${r}::ffff:1`, {
            hostname: `ae${r}.core${t}.very-long-carrier-name.example.net`,
          }),
        ),
      ),
    );
    for (const width of [undefined, 1400, 320]) {
      const layout = layoutPath(hops, { destinationTtl: 64, width });
      expect(layout.nodes).toHaveLength(512);
      expectInBounds(layout);
      expectNoOverlap(layout);
      if (width !== undefined && width >= layout.nodes[0]!.width + 100) expect(layout.width).toBeLessThanOrEqual(width);
      // Labels are cut to the box (monospace, so a char budget is a width budget).
      const spilling = layout.nodes.filter(
        (n) => n.label.address.length * 12 * 0.62 > n.width || (n.label.hostname ?? '').length * 11 * 0.62 > n.width,
      );
      expect(spilling).toEqual([]);
      expect(layout.edges).toHaveLength(63 * 64);
    }
  });

  /** A path with an ECMP split at TTL 4 (two routers answering). */
  function ecmpPath(length: number) {
    return straightPath(length).map((h) => (h.ttl === 4 ? hop(4, [host('10.0.0.4'), host('10.0.1.4')]) : h));
  }

  // Window widths of 1024×700 and 1440×900 (the graph gets the full width; the side panel folds).
  for (const width of [1024, 1440]) {
    for (const length of [12, 30]) {
      it(`reads left to right in every row at ${width} px for ${length} hops with an ECMP hop`, () => {
        const layout = layoutPath(ecmpPath(length), { destinationTtl: length, width });
        expect(new Set(layout.nodes.map((n) => n.ttl)).size).toBe(length);
        // Row order follows TTL, and within a row x grows with TTL: no row reads backwards.
        const columns = [...layout.columns].sort((a, b) => a.ttl - b.ttl);
        for (let i = 1; i < columns.length; i++) {
          const prev = columns[i - 1]!;
          const next = columns[i]!;
          expect(next.row).toBeGreaterThanOrEqual(prev.row);
          if (next.row === prev.row) expect(next.x).toBeGreaterThan(prev.x);
          else expect(next.x).toBeLessThan(prev.x);
        }
        // Every link leaves a box on its right and enters the next box on its left.
        const nodes = new Map(layout.nodes.map((n) => [n.id, n]));
        for (const edge of layout.edges) {
          const [, sx, sy] = /^M([\d.]+),([\d.]+)/.exec(edge.path)!;
          const [, ex, ey] = /([\d.]+),([\d.]+)$/.exec(edge.path)!;
          const source = nodes.get(edge.source)!;
          const target = nodes.get(edge.target)!;
          expect(Number(sx)).toBeCloseTo(source.x + source.width);
          expect(Number(ex)).toBeCloseTo(target.x);
          expect(Number(sy)).toBeCloseTo(source.y + source.height / 2);
          expect(Number(ey)).toBeCloseTo(target.y + target.height / 2);
        }
        // Fits the width at 1:1, so text keeps its size: nothing needs zooming out.
        expect(layout.width).toBeLessThanOrEqual(width);
        expect(layout.nodes.every((n) => n.width >= 184)).toBe(true);
        expectInBounds(layout);
        expectNoOverlap(layout);
      });
    }
  }

  it('handles an empty path', () => {
    const layout = layoutPath([], { destinationTtl: null });
    expect(layout.nodes).toEqual([]);
    expect(layout.edges).toEqual([]);
    expect(layout.width).toBeGreaterThan(0);
    expect(layout.height).toBeGreaterThan(0);
  });
});
