import { describe, expect, it, vi } from 'vitest';
import { act, createRef } from 'react';
import { PathGraph } from '../../src/renderer/src/graph/PathGraph';
import { hop, host, sample } from '../fixtures/traceBuilders';
import { render } from './renderInDom';

const hops = [
  hop(1, [host('192.168.1.1', { hostname: 'gw.lan' })]),
  hop(2, [], { sent: 10, received: 0, lossPct: 100 }),
  hop(3, [
    host('10.0.3.1', { mpls: [{ label: 24005, trafficClass: 0, bottomOfStack: true, ttl: 1 }] }),
    host('10.0.4.1'),
  ]),
  hop(4, [host('93.184.216.34')]),
];
const samples = {
  1: [sample(0, '192.168.1.1', 1), sample(1, '192.168.1.1', 1.1)],
  2: [sample(0, null, null), sample(1, null, null)],
  3: [sample(0, '10.0.3.1', 8), sample(1, '10.0.4.1', 9)],
  4: [sample(0, '93.184.216.34', 20), sample(1, null, null)],
};

function renderGraph(props: Partial<Parameters<typeof PathGraph>[0]> = {}) {
  const onSelectTtl = vi.fn();
  const svgRef = createRef<SVGSVGElement>();
  const view = render(
    <PathGraph
      hops={hops}
      samples={samples}
      destinationTtl={4}
      targetAddress="93.184.216.34"
      selectedTtl={null}
      onSelectTtl={onSelectTtl}
      svgRef={svgRef}
      width={2000}
      {...props}
    />,
  );
  return { ...view, onSelectTtl, svgRef };
}

describe('PathGraph', () => {
  it('says in the legend what a link means for the probes used, and shows the shared sparkline scale', () => {
    const icmp = renderGraph({ flow: { protocol: 'icmp' } });
    expect(icmp.container.querySelector('[data-testid="link-legend"]')!.textContent).toContain('one flow');
    expect(icmp.container.querySelector('[data-testid="sparkline-scale"]')!.textContent).toMatch(
      /\(0–[\d.]+ ms, same for all boxes\)/,
    );
    icmp.unmount();
    const udp = renderGraph({ flow: { protocol: 'udp' }, sparklineOwnScale: true });
    expect(udp.container.querySelector('[data-testid="link-legend"]')!.textContent).toContain('only possible');
    expect(udp.container.querySelector('[data-testid="sparkline-scale"]')!.textContent).toContain('own scale per box');
    // One click back to the shared scale.
    const toggle = udp.container.querySelector('[data-testid="sparkline-scale-toggle"]')!;
    act(() => toggle.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(udp.container.querySelector('[data-testid="sparkline-scale"]')!.textContent).toContain('same for all boxes');
    udp.unmount();
  });

  it('renders a node per responder, a silent node, and a sparkline in each', () => {
    const { container, unmount } = renderGraph();
    const nodes = [...container.querySelectorAll('[data-testid="hop-node"]')];
    expect(nodes.map((n) => [n.getAttribute('data-ttl'), n.getAttribute('data-address')])).toEqual([
      ['1', '192.168.1.1'],
      ['2', ''],
      ['3', '10.0.3.1'],
      ['3', '10.0.4.1'],
      ['4', '93.184.216.34'],
    ]);
    expect(container.querySelectorAll('[data-testid="hop-node"] [data-testid="sparkline"]')).toHaveLength(5);
    expect(nodes[0]!.textContent).toContain('gw.lan');
    expect(nodes[0]!.textContent).toContain('private');
    expect(nodes[1]!.textContent).toContain('no reply');
    expect(nodes[4]!.classList.contains('is-destination')).toBe(true);
    expect(container.querySelector('.hs-legend')).not.toBeNull();
    expect(container.querySelectorAll('path.hs-edge').length).toBeGreaterThanOrEqual(4);
    unmount();
  });

  it('exposes the svg with its full layout bounds for export', () => {
    const { svgRef, unmount } = renderGraph();
    expect(svgRef.current?.tagName.toLowerCase()).toBe('svg');
    expect(Number(svgRef.current!.getAttribute('data-layout-width'))).toBeGreaterThan(0);
    expect(Number(svgRef.current!.getAttribute('data-layout-height'))).toBeGreaterThan(0);
    expect(svgRef.current!.querySelector('[data-zoom-layer]')).not.toBeNull();
    unmount();
  });

  it('selects a hop on click and highlights the selected TTL', () => {
    const { container, onSelectTtl, rerender, unmount } = renderGraph();
    const node = container.querySelector<SVGGElement>('[data-testid="hop-node"][data-address="10.0.4.1"]')!;
    act(() => node.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(onSelectTtl).toHaveBeenCalledWith(3);

    rerender(
      <PathGraph
        hops={hops}
        samples={samples}
        destinationTtl={4}
        selectedTtl={3}
        onSelectTtl={onSelectTtl}
        width={2000}
      />,
    );
    const selected = [...container.querySelectorAll('[data-testid="hop-node"].is-selected')];
    expect(selected.map((n) => n.getAttribute('data-address'))).toEqual(['10.0.3.1', '10.0.4.1']);
    expect(selected[0]!.getAttribute('aria-selected')).toBe('true');
    const svg = container.querySelector('svg.hs-path-graph-svg')!;
    expect(svg.getAttribute('aria-activedescendant')).toBe(selected[0]!.id);
    unmount();
  });

  it('moves the selection between hops with the arrow keys', () => {
    const { container, onSelectTtl, unmount } = renderGraph({ selectedTtl: 2 });
    const svg = container.querySelector<SVGSVGElement>('svg.hs-path-graph-svg')!;
    expect(svg.getAttribute('tabindex')).toBe('0');
    const press = (key: string) => act(() => svg.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true })));
    press('ArrowRight');
    expect(onSelectTtl).toHaveBeenLastCalledWith(3);
    press('ArrowLeft');
    expect(onSelectTtl).toHaveBeenLastCalledWith(1);
    press('End');
    expect(onSelectTtl).toHaveBeenLastCalledWith(4);
    unmount();
  });

  it('shows full statistics in a tooltip on hover', () => {
    const { container, unmount } = renderGraph();
    const node = container.querySelector<SVGGElement>('[data-testid="hop-node"][data-address="10.0.3.1"]')!;
    act(() => node.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, clientX: 10, clientY: 10 })));
    act(() => node.dispatchEvent(new PointerEvent('pointerenter', { bubbles: false, clientX: 10, clientY: 10 })));
    // In document.body, so neither pane can clip it.
    const tooltip = document.body.querySelector('[role="tooltip"]');
    expect(tooltip).not.toBeNull();
    expect(container.contains(tooltip)).toBe(false);
    for (const text of ['Sent', 'Received', 'Loss', 'Last', 'Avg', 'Best', 'Worst', 'StDev', 'Jitter', 'Lbl 24005']) {
      expect(tooltip!.textContent).toContain(text);
    }
    act(() => node.dispatchEvent(new PointerEvent('pointerout', { bubbles: true })));
    act(() => node.dispatchEvent(new PointerEvent('pointerleave', { bubbles: false })));
    expect(document.body.querySelector('[role="tooltip"]')).toBeNull();
    unmount();
  });

  it('greys a hop the engine no longer probes instead of dropping it', () => {
    const offPath = [...hops, hop(5, [host('198.18.8.9')], { onPath: false })];
    const { container, unmount } = renderGraph({ hops: offPath });
    const nodes = [...container.querySelectorAll('[data-testid="hop-node"]')];
    expect(nodes.filter((n) => n.classList.contains('is-off-path')).map((n) => n.getAttribute('data-ttl'))).toEqual([
      '5',
    ]);
    expect(nodes.at(-1)!.getAttribute('aria-label')).toContain('not probed');
    expect(nodes[4]!.getAttribute('aria-label')).not.toContain('not probed');
    expect(container.querySelector('.hs-column-ttl.is-off-path')!.textContent).toBe('#5 · not probed');
    unmount();
  });

  it('renders an empty path without failing', () => {
    const { container, unmount } = renderGraph({ hops: [], samples: {} });
    expect(container.querySelectorAll('[data-testid="hop-node"]')).toHaveLength(0);
    expect(container.textContent).toContain('No hops yet');
    unmount();
  });
});
