import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Sparkline, sparklineWindow } from '../../src/renderer/src/graph/Sparkline';
import { render, sample } from './traceBuilders';

function parse(markup: string): SVGSVGElement {
  const holder = document.createElement('div');
  holder.innerHTML = markup;
  return holder.querySelector('svg')!;
}

describe('Sparkline', () => {
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
    const svg = parse(renderToStaticMarkup(<Sparkline samples={samples} width={80} height={20} />));
    expect(svg.getAttribute('data-testid')).toBe('sparkline');
    const d = svg.querySelector('path.hs-sparkline-line')!.getAttribute('d')!;
    // Three runs of replies → three subpaths.
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
    const window = sparklineWindow(samples, { address: '10.0.0.1', rounds: 60 });
    expect(window.lineRounds.map((round, i) => ({ round, rttMs: window.lineMs[i] }))).toEqual([
      { round: 0, rttMs: 10 },
      { round: 2, rttMs: null },
      { round: 3, rttMs: 11 },
    ]);
    expect(window.lostRounds).toEqual([2]);
    // One of several ECMP responders: the loss is a tick, not a break in this branch's line.
    expect(sparklineWindow(samples, { address: '10.0.0.1', lossBreaksLine: false }).lineRounds).toEqual([0, 3]);
  });

  it('keeps only the last rounds of the window', () => {
    const samples = Array.from({ length: 100 }, (_, r) => sample(r, '10.0.0.1', r));
    expect(sparklineWindow(samples, { rounds: 10 }).lineRounds).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(sparklineWindow(samples, { rounds: 10, lastRound: 50 }).lineRounds).toEqual([
      41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
    ]);
  });

  it('renders no line for a TTL that never answered', () => {
    const svg = parse(renderToStaticMarkup(<Sparkline samples={[sample(0, null, null), sample(1, null, null)]} />));
    expect(svg.querySelector('path.hs-sparkline-line')).toBeNull();
    expect(svg.querySelectorAll('line.hs-sparkline-loss')).toHaveLength(2);
  });

  it('is memoised on its props, so unchanged samples skip rendering', () => {
    // React.memo with shallow comparison: the store replaces a TTL's sample array only when it changes.
    expect((Sparkline as unknown as { $$typeof: symbol }).$$typeof).toBe(Symbol.for('react.memo'));
    const samples = [sample(0, '10.0.0.1', 10)];
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
