import { describe, expect, it } from 'vitest';
import { createRef } from 'react';
import { PathGraph } from '../../src/renderer/src/graph/PathGraph';
import { cloneSvgForExport } from '../../src/renderer/src/graph/pngExport';
import { hop, host, render, sample } from './traceBuilders';

describe('cloneSvgForExport', () => {
  it('clones the whole graph: no zoom, full viewBox, styles inlined, original untouched', () => {
    const style = document.createElement('style');
    style.textContent = '.hs-node-box { fill: rgb(1, 2, 3); stroke-width: 7px; } .hs-node-address { font-size: 13px; }';
    document.head.appendChild(style);

    const svgRef = createRef<SVGSVGElement>();
    const hops = [hop(1, [host('10.0.0.1')]), hop(2, [host('10.0.0.2')])];
    const view = render(
      <PathGraph
        hops={hops}
        samples={{ 1: [sample(0, '10.0.0.1', 1)] }}
        destinationTtl={2}
        selectedTtl={null}
        onSelectTtl={() => {}}
        svgRef={svgRef}
      />,
    );
    const svg = svgRef.current!;
    const layer = svg.querySelector('[data-zoom-layer]')!;
    layer.setAttribute('transform', 'translate(-300,40) scale(2)'); // as d3-zoom would
    const width = Number(svg.getAttribute('data-layout-width'));
    const height = Number(svg.getAttribute('data-layout-height'));

    const clone = cloneSvgForExport(svg, { background: '#ffffff' });
    expect(clone).not.toBe(svg);
    expect(clone.getAttribute('viewBox')).toBe(`0 0 ${width} ${height}`);
    expect(clone.getAttribute('width')).toBe(String(width));
    expect(clone.getAttribute('height')).toBe(String(height));
    expect(clone.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(clone.querySelector('[data-zoom-layer]')!.hasAttribute('transform')).toBe(false);
    expect(layer.getAttribute('transform')).toBe('translate(-300,40) scale(2)');

    const box = clone.querySelector<SVGRectElement>('.hs-node-box')!;
    expect(box.style.getPropertyValue('fill')).toBe('rgb(1, 2, 3)');
    expect(box.style.getPropertyValue('stroke-width')).toBe('7px');
    expect(clone.querySelector<SVGTextElement>('.hs-node-address')!.style.getPropertyValue('font-size')).toBe('13px');
    expect(clone.querySelectorAll('[data-testid="hop-node"]')).toHaveLength(2);

    const backdrop = clone.firstElementChild!;
    expect(backdrop.tagName.toLowerCase()).toBe('rect');
    expect(backdrop.getAttribute('fill')).toBe('#ffffff');

    expect(new XMLSerializer().serializeToString(clone)).toContain('10.0.0.2');
    view.unmount();
    style.remove();
  });

  it('takes explicit bounds and fails clearly without any', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    expect(cloneSvgForExport(svg, { width: 10, height: 20 }).getAttribute('viewBox')).toBe('0 0 10 20');
    expect(() => cloneSvgForExport(svg)).toThrow(/width\/height/);
  });
});
