import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Sample } from '@shared/traceFile';
import { Sparkline, sparklineShape } from '../../src/renderer/src/graph/Sparkline';
import { sparklineWindow } from '../../src/renderer/src/graph/sparklineWindow';
import { sample } from '../fixtures/traceBuilders';
import { render } from './renderInDom';

function parse(markup: string): SVGSVGElement {
  const holder = document.createElement('div');
  holder.innerHTML = markup;
  return holder.querySelector('svg')!;
}

/** Points of path data ("M1,2L3,4…"). */
function pathPoints(d: string | null | undefined): { x: number; y: number }[] {
  if (d == null) return [];
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

/** A deterministic pseudo-random stream (no Math.random: failures must reproduce). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

/** `rounds` rounds of one hop losing `loss` of its probes, one sample per round, oldest first. */
function lossyHop(rounds: number, loss: number, intervalSec: number): Sample[] {
  const next = lcg(7);
  return Array.from({ length: rounds }, (_, round) => {
    const lost = next() < loss;
    return {
      round,
      at: 1_700_000_000_000 + round * intervalSec * 1000,
      result: lost ? ('no-reply' as const) : ('ttl-expired' as const),
      address: lost ? null : '10.0.0.3',
      rttMs: lost ? null : 2 + next() * 3,
    };
  });
}

describe('Sparkline', () => {
  for (const intervalSec of [1, 0.2]) {
    it(`draws exactly the last N rounds inside its box after 1,000 rounds at ${intervalSec} s with 30 % loss`, () => {
      const rounds = 60;
      const width = 166;
      const height = 20;
      const samples = lossyHop(1000, 0.3, intervalSec);
      const lastRound = 999;
      const svg = parse(
        renderToStaticMarkup(
          <Sparkline samples={samples} rounds={rounds} lastRound={lastRound} width={width} height={height} />,
        ),
      );
      const line = pathPoints(svg.querySelector('path.hs-sparkline-line')?.getAttribute('d'));
      const dots = [...svg.querySelectorAll('circle.hs-sparkline-dot')].map((c) => ({
        x: Number(c.getAttribute('cx')),
        y: Number(c.getAttribute('cy')),
      }));
      const ticks = [...svg.querySelectorAll('line.hs-sparkline-loss')].map((l) => Number(l.getAttribute('x1')));
      const points = [...line, ...dots];
      const inWindow = samples.slice(-rounds);
      const replies = inWindow.filter((s) => s.rttMs !== null).length;
      const losses = inWindow.length - replies;
      // Every reply of the window is a point, every loss a tick: no more, no fewer.
      expect(points).toHaveLength(replies);
      expect(ticks).toHaveLength(losses);
      expect(points.length).toBeLessThanOrEqual(rounds);
      expect(ticks.length).toBeLessThanOrEqual(rounds);
      for (const p of points) {
        expect(p.x).toBeGreaterThan(0);
        expect(p.x).toBeLessThan(width);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeLessThanOrEqual(height);
      }
      for (const x of ticks) {
        expect(x).toBeGreaterThan(0);
        expect(x).toBeLessThan(width);
      }
      // Each tick sits in its round's slot.
      const slot = width / rounds;
      const lostSlots = inWindow.flatMap((s, i) => (s.rttMs === null ? [i] : []));
      expect(ticks.map((x) => Math.floor(x / slot))).toEqual(lostSlots);
      // And the box clips anything else.
      expect(svg.getAttribute('overflow')).toBe('hidden');
    });
  }

  it('keeps the window when samples arrive out of round order or repeat a round', () => {
    const samples = [sample(5, null, null), sample(3, null, null), sample(5, null, null), sample(200, null, null)];
    const w = sparklineWindow(samples, { rounds: 10, lastRound: 9 });
    expect(w.lost.filter(Boolean)).toHaveLength(2);
    expect(w.rttMs).toHaveLength(10);
  });

  it('draws one path with a gap at each loss, and a red tick per lost probe', () => {
    const samples = [
      sample(0, '10.0.0.1', 10),
      sample(1, '10.0.0.1', 12),
      sample(2, null, null),
      sample(3, '10.0.0.1', 11),
      sample(4, '10.0.0.1', 14),
      sample(5, null, null),
      sample(6, '10.0.0.1', 9),
      sample(7, '10.0.0.1', 10),
    ];
    const svg = parse(renderToStaticMarkup(<Sparkline samples={samples} rounds={8} width={80} height={20} />));
    expect(svg.getAttribute('data-testid')).toBe('sparkline');
    const d = svg.querySelector('path.hs-sparkline-line')!.getAttribute('d')!;
    expect(d.match(/M/g)).toHaveLength(3);
    expect(svg.querySelectorAll('line.hs-sparkline-loss')).toHaveLength(2);
  });

  it('marks a reply between two losses with a dot, since a line of one point is invisible', () => {
    const samples = [sample(0, null, null), sample(1, '10.0.0.1', 10), sample(2, null, null)];
    const svg = parse(renderToStaticMarkup(<Sparkline samples={samples} />));
    expect(svg.querySelectorAll('circle.hs-sparkline-dot')).toHaveLength(1);
  });

  it('shows only its responder, but every loss of the TTL', () => {
    const samples = [
      sample(0, '10.0.0.1', 10),
      sample(1, '10.0.0.2', 50),
      sample(2, null, null),
      sample(3, '10.0.0.1', 11),
    ];
    const w = sparklineWindow(samples, { address: '10.0.0.1', rounds: 4 });
    expect(w.rttMs).toEqual([10, null, null, 11]);
    expect(w.lost).toEqual([false, false, true, false]);
    // One of several ECMP responders: the loss is a tick, not a break in this branch's line.
    const shape = sparklineShape(samples, { address: '10.0.0.1', rounds: 4, lossBreaksLine: false });
    expect(pathPoints(shape.d)).toHaveLength(2);
    expect(shape.ticks).toHaveLength(1);
  });

  it('uses the shared scale when given one, so a small wobble stays small', () => {
    const wobble = [sample(0, '10.0.0.1', 1), sample(1, '10.0.0.1', 1.3)];
    const own = sparklineShape(wobble, { rounds: 2, height: 20 });
    const shared = sparklineShape(wobble, { rounds: 2, height: 20, maxMs: 5 });
    const spread = (d: string | null) => {
      const ys = pathPoints(d).map((p) => p.y);
      return Math.max(...ys) - Math.min(...ys);
    };
    expect(spread(shared.d)).toBeLessThan(spread(own.d) / 3);
  });

  it('marks SYN retransmissions instead of drawing them as latency', () => {
    const samples = [sample(0, '10.0.0.1', 2), sample(1, '10.0.0.1', 1002), sample(2, '10.0.0.1', 2)];
    const shape = sparklineShape(samples, { rounds: 3, retransmitRounds: new Set([1]) });
    expect(shape.retransmits).toHaveLength(1);
    expect(shape.points).toBe(2);
  });

  it('renders no line for a TTL that never answered', () => {
    const svg = parse(renderToStaticMarkup(<Sparkline samples={[sample(0, null, null), sample(1, null, null)]} />));
    expect(svg.querySelector('path.hs-sparkline-line')).toBeNull();
    expect(svg.querySelectorAll('line.hs-sparkline-loss')).toHaveLength(2);
  });

  it('is memoised on its props, so unchanged samples skip rendering', () => {
    expect((Sparkline as unknown as { $$typeof: symbol }).$$typeof).toBe(Symbol.for('react.memo'));
    const samples = [sample(0, '10.0.0.1', 10), sample(1, '10.0.0.1', 11)];
    const view = render(
      <svg>
        <Sparkline samples={samples} address="10.0.0.1" />
      </svg>,
    );
    const path = view.container.querySelector('path');
    view.rerender(
      <svg>
        <Sparkline samples={samples} address="10.0.0.1" />
      </svg>,
    );
    expect(view.container.querySelector('path')).toBe(path);
    view.unmount();
  });
});
