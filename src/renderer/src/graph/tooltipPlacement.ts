/**
 * Where a tooltip goes so it is never cut off: beside the pointer, flipped to
 * the other side when it would cross the window's edge, and clamped inside
 * the window when it is larger than the room on either side. Pure.
 */

const OFFSET = 14;
const MARGIN = 8;

export interface Size {
  width: number;
  height: number;
}

/** Top-left corner in viewport coordinates. */
export function placeTooltip(
  pointer: { x: number; y: number },
  tooltip: Size,
  viewport: Size,
): { left: number; top: number } {
  const place = (at: number, size: number, room: number) => {
    const after = at + OFFSET;
    if (after + size <= room - MARGIN) return after;
    const before = at - OFFSET - size;
    if (before >= MARGIN) return before;
    return Math.max(MARGIN, Math.min(room - MARGIN - size, after));
  };
  return {
    left: place(pointer.x, tooltip.width, viewport.width),
    top: place(pointer.y, tooltip.height, viewport.height),
  };
}
