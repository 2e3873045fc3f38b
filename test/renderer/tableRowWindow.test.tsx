/**
 * A long hop table renders the rows in view (plus a margin) and stands in
 * for the rest (useRowWindow). happy-dom has no layout: rows here are 20 px
 * and the scroll container 200 px tall.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import fc from 'fast-check';
import { HopTable } from '../../src/renderer/src/table/HopTable';
import { ROW_WINDOW_MIN_ROWS, ROW_WINDOW_OVERSCAN, rowWindow } from '../../src/renderer/src/table/useRowWindow';
import { hop, host } from '../fixtures/traceBuilders';
import { render } from './renderInDom';

const ROW_PX = 20;
const VIEW_PX = 200;

/** `ttls` hops of two responders each: twice as many rows. */
const twoWide = (ttls: number) =>
  Array.from({ length: ttls }, (_, i) => hop(i + 1, [host(`10.0.${i + 1}.1`), host(`10.0.${i + 1}.2`)]));

const renderedRows = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('[data-testid="hop-row"]')];

describe('the hop table row window', () => {
  beforeEach(() => {
    // Every box is a row's height; the table body moves up as its container scrolls.
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      const scrolled =
        this.tagName === 'TBODY' ? (this.closest<HTMLElement>('[style*="overflow"]')?.scrollTop ?? 0) : 0;
      return new DOMRect(0, -scrolled, 800, ROW_PX);
    });
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(VIEW_PX);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('renders the rows in view, follows scrolling, and reaches rows out of view from the keyboard', async () => {
    const onSelectTtl = vi.fn();
    const { container, unmount } = render(
      <div style={{ overflow: 'auto', height: `${VIEW_PX}px` }}>
        <HopTable hops={twoWide(30)} selectedTtl={null} onSelectTtl={onSelectTtl} />
      </div>,
    );
    const scroller = container.firstElementChild as HTMLElement;
    const shown = VIEW_PX / ROW_PX + ROW_WINDOW_OVERSCAN;
    expect(renderedRows(container)).toHaveLength(shown);
    expect(container.querySelector('table')!.getAttribute('aria-rowcount')).toBe('61');
    // The stand-in keeps the table as tall as all 60 rows.
    expect(container.querySelector<HTMLElement>('tr.hs-row-spacer td')!.style.height).toBe(
      `${(60 - shown) * ROW_PX}px`,
    );

    await act(async () => {
      scroller.scrollTop = 40 * ROW_PX;
      scroller.dispatchEvent(new Event('scroll'));
    });
    const rows = renderedRows(container);
    expect(rows[0]!.getAttribute('aria-rowindex')).toBe(String(40 - ROW_WINDOW_OVERSCAN + 2));
    expect(rows.map((r) => r.dataset.ttl)).toContain('25');
    expect(rows.map((r) => r.dataset.ttl)).not.toContain('1');

    // Home: hop 1 is not rendered; the table scrolls to it and focuses it.
    await act(async () => {
      container.querySelector('tbody')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    });
    expect(onSelectTtl).toHaveBeenCalledWith(1);
    await act(async () => scroller.dispatchEvent(new Event('scroll')));
    expect(document.activeElement?.getAttribute('data-ttl')).toBe('1');
    unmount();
  });

  it('renders every row of a short table', () => {
    const { container, unmount } = render(
      <div style={{ overflow: 'auto' }}>
        <HopTable hops={twoWide(ROW_WINDOW_MIN_ROWS / 2 - 1)} selectedTtl={null} onSelectTtl={() => {}} />
      </div>,
    );
    expect(renderedRows(container)).toHaveLength(ROW_WINDOW_MIN_ROWS - 2);
    expect(container.querySelector('tr.hs-row-spacer')).toBeNull();
    unmount();
  });

  it('covers the view, stays within the rows and keeps the full height, wherever it is scrolled', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: -500, max: 60_000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 60 }),
        (count, top, height, rowHeight) => {
          const w = rowWindow(count, { top, height, rowHeight });
          expect(0 <= w.start && w.start <= w.end && w.end <= count).toBe(true);
          expect(w.before + (w.end - w.start) * (count < ROW_WINDOW_MIN_ROWS ? 0 : rowHeight) + w.after).toBe(
            count < ROW_WINDOW_MIN_ROWS ? 0 : count * rowHeight,
          );
          // Every row that overlaps the view is rendered.
          const firstSeen = Math.max(0, Math.floor(top / rowHeight));
          const lastSeen = Math.min(count - 1, Math.ceil((top + height) / rowHeight) - 1);
          if (count >= ROW_WINDOW_MIN_ROWS && firstSeen <= lastSeen) {
            expect(w.start).toBeLessThanOrEqual(firstSeen);
            expect(w.end).toBeGreaterThan(lastSeen);
          }
        },
      ),
    );
  });
});
