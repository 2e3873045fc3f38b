/**
 * Which rows of a long hop table to render: those in its scroll container's
 * view, plus a margin. Every row of the table is one line (white-space:
 * nowrap), so all are as tall as the first; spacers of the same total height
 * stand in for the rest, so the scrollbar and the sticky header behave as if
 * every row were there. A live batch then lays out and paints the rows a
 * person can see, not all 120 of a 30-hop ECMP path.
 *
 * Short tables, and any table before its container has a size (the first
 * render, tests without layout), render every row. Layout is read only on
 * scroll, resize and when the row count changes, never on a live update.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Below this many rows every row is rendered. */
export const ROW_WINDOW_MIN_ROWS = 40;
/** Rows rendered beyond each edge of the view (keyboard moves and fast scrolls land on rendered rows). */
export const ROW_WINDOW_OVERSCAN = 8;

export interface RowWindow {
  /** First rendered row (index into the sorted rows). */
  start: number;
  /** One past the last rendered row. */
  end: number;
  /** Height of the stand-in before `start` and after `end`, in px. */
  before: number;
  after: number;
}

interface Viewport {
  /** The scroll container's scrollTop, minus where the table body starts in it. */
  top: number;
  height: number;
  rowHeight: number;
}

function scrollParent(element: HTMLElement): HTMLElement | null {
  for (let node = element.parentElement; node !== null; node = node.parentElement) {
    const style = getComputedStyle(node);
    const overflowY = style.overflowY || style.overflow; // (not every DOM expands the shorthand)
    if (overflowY === 'auto' || overflowY === 'scroll') return node;
  }
  return null;
}

/** The rendered range of `count` rows for a viewport; every row when the viewport is unknown. */
export function rowWindow(count: number, viewport: Viewport | null, overscan = ROW_WINDOW_OVERSCAN): RowWindow {
  if (viewport === null || count < ROW_WINDOW_MIN_ROWS || viewport.rowHeight <= 0 || viewport.height <= 0) {
    return { start: 0, end: count, before: 0, after: 0 };
  }
  const { top, height, rowHeight } = viewport;
  const start = Math.max(0, Math.min(count, Math.floor(top / rowHeight) - overscan));
  const end = Math.max(start, Math.min(count, Math.ceil((top + height) / rowHeight) + overscan));
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}

/**
 * The row window of a table body (`bodyRef`) of `count` rows, and a way to
 * focus a row by TTL, scrolling it into view first when it is not rendered
 * (a keyboard move to Home or End).
 */
export function useRowWindow(
  bodyRef: RefObject<HTMLTableSectionElement | null>,
  count: number,
): { window: RowWindow; focusRow: (ttl: number, index: number) => void } {
  const [viewport, setViewport] = useState<Viewport | null>(null);
  const container = useRef<HTMLElement | null>(null);
  const pendingFocus = useRef<number | null>(null);
  const windowed = count >= ROW_WINDOW_MIN_ROWS;

  const rowOf = useCallback(
    (ttl: number) => bodyRef.current?.querySelector<HTMLTableRowElement>(`tr[data-ttl="${ttl}"]`) ?? null,
    [bodyRef],
  );
  // A row scrolled to for focus is rendered by now, or after the scroll's render.
  useEffect(() => {
    if (pendingFocus.current === null) return;
    const row = rowOf(pendingFocus.current);
    if (row === null) return;
    pendingFocus.current = null;
    row.focus();
  });

  const measure = useCallback(() => {
    const body = bodyRef.current;
    const scroller = container.current;
    const row = body?.querySelector<HTMLTableRowElement>('tr[data-testid="hop-row"]');
    if (!body || !scroller || !row) return;
    const bodyTop = body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    const next = {
      top: scroller.scrollTop - bodyTop,
      height: scroller.clientHeight,
      rowHeight: row.getBoundingClientRect().height,
    };
    setViewport((old) =>
      old !== null && old.top === next.top && old.height === next.height && old.rowHeight === next.rowHeight
        ? old
        : next,
    );
  }, [bodyRef]);

  useEffect(() => {
    const body = bodyRef.current;
    if (!windowed || !body) return;
    const scroller = scrollParent(body);
    container.current = scroller;
    if (scroller === null) return;
    measure();
    const onScroll = () => measure();
    scroller.addEventListener('scroll', onScroll, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(onScroll);
    observer?.observe(scroller);
    return () => {
      scroller.removeEventListener('scroll', onScroll);
      observer?.disconnect();
    };
  }, [bodyRef, windowed, measure]);

  // Rows added or removed move what is in view: read it again (before paint, so nothing jumps).
  useLayoutEffect(() => {
    if (windowed) measure();
  }, [windowed, count, measure]);

  const focusRow = useCallback(
    (ttl: number, index: number) => {
      const row = rowOf(ttl);
      const scroller = container.current;
      if (row !== null || !scroller || viewport === null) {
        row?.focus();
        return;
      }
      pendingFocus.current = ttl;
      // Into the middle of the view; the scroll event renders it, the effect above focuses it.
      scroller.scrollTop += index * viewport.rowHeight - viewport.top - viewport.height / 2;
    },
    [rowOf, viewport],
  );

  return { window: rowWindow(count, windowed ? viewport : null), focusRow };
}

/** Stands in for rows out of view, so the table keeps its full height. */
export function RowSpacer({ height, columns }: { height: number; columns: number }) {
  return (
    <tr className="hs-row-spacer" aria-hidden="true">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );
}
