/**
 * Restoring the saved window position only when it is still visible on
 * some display (monitors get unplugged); otherwise the size is kept and the
 * window is centred. Pure.
 */
import type { WindowState } from './preferences';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW = { width: 1280, height: 800 } as const;
export const MIN_WINDOW = { width: 640, height: 420 } as const;
/** How much of the title bar area must be on screen to keep a position. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

export function restoreBounds(
  saved: WindowState | null,
  workAreas: readonly Rect[],
): { x?: number; y?: number; width: number; height: number; maximized: boolean } {
  if (!saved) return { ...DEFAULT_WINDOW, maximized: false };
  const largest = workAreas.reduce<{ width: number; height: number }>(
    (acc, area) => ({ width: Math.max(acc.width, area.width), height: Math.max(acc.height, area.height) }),
    { width: 0, height: 0 },
  );
  const clamp = (value: number, min: number, max: number) => Math.max(min, max > 0 ? Math.min(value, max) : value);
  const width = clamp(saved.width, MIN_WINDOW.width, largest.width);
  const height = clamp(saved.height, MIN_WINDOW.height, largest.height);
  if (saved.x === undefined || saved.y === undefined) return { width, height, maximized: saved.maximized };
  const titleBar: Rect = { x: saved.x, y: saved.y, width, height: Math.min(height, MIN_VISIBLE.height) };
  const visible = workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height / 2;
  });
  return visible
    ? { x: saved.x, y: saved.y, width, height, maximized: saved.maximized }
    : { width, height, maximized: saved.maximized };
}
