import { describe, expect, it } from 'vitest';
import { createRef } from 'react';
import { PathGraph } from '../../src/renderer/src/graph/PathGraph';
import { cloneSvgForExport } from '../../src/renderer/src/graph/pngExport';
import type { TraceDocument } from '@shared/traceFile';
import { pngHeaderLines } from '../../src/renderer/src/graph/pathSummary';
import { hop, host, sample } from '../fixtures/traceBuilders';
import { render } from './renderInDom';

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

describe('PNG header', () => {
  const doc: TraceDocument = {
    format: 'hopscope.trace',
    version: 1,
    startedAt: '2026-11-29T14:00:00.000Z',
    tool: { name: 'hopscope', version: '9.9.9', mtrPacketVersion: '0.95' },
    target: { input: 'target.hopscope.test', address: '198.18.8.2', ipVersion: 4 },
    options: { protocol: 'udp', port: 33434 },
    destinationReached: true,
    rounds: 12,
    hops: [
      {
        ...hop(1, [host('198.18.8.2', { hostname: 'evil\u001b]0;pwned\u0007.test', avgMs: 2, received: 12 })], {
          sent: 12,
          received: 12,
          lossPct: 0,
        }),
        samples: [],
      },
    ],
  };

  it('says what was measured, with control characters from the network neutralised', () => {
    const lines = pngHeaderLines(doc);
    expect(lines[0]).toBe('target.hopscope.test (198.18.8.2)');
    expect(lines[1]).toBe('UDP port 33434 · started 2026-11-29 14:00:00Z · 12 rounds');
    expect(lines[2]).toContain('End to end: 0.0% loss');
    expect(lines[3]).toBe('hopscope 9.9.9 · mtr-packet 0.95');
    expect([...lines.join('')].filter((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toEqual([]);
    // Unknown options and start stay unknown.
    const imported = pngHeaderLines({ ...doc, options: {}, startedAt: undefined, rounds: undefined });
    expect(imported[1]).toBe('protocol unknown · started unknown · rounds unknown');
  });

  it('draws the header above the graph in the exported copy', () => {
    const svgRef = createRef<SVGSVGElement>();
    const view = render(
      <PathGraph
        hops={[hop(1, [host('10.0.0.1')])]}
        destinationTtl={1}
        selectedTtl={null}
        onSelectTtl={() => {}}
        svgRef={svgRef}
      />,
    );
    const svg = svgRef.current!;
    const height = Number(svg.getAttribute('data-layout-height'));
    const clone = cloneSvgForExport(svg, { header: ['<b>x</b>', 'second'] });
    const texts = [...clone.querySelectorAll('[data-export-header]')].map((t) => t.textContent);
    expect(texts).toEqual(['<b>x</b>', 'second']);
    expect(clone.querySelector('b')).toBeNull();
    expect(Number(clone.getAttribute('height'))).toBeGreaterThan(height);
    expect(clone.querySelector('[data-zoom-layer]')!.getAttribute('transform')).toMatch(/^translate\(0,\d+\)$/);
    view.unmount();
  });
});
