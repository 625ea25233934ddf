/**
 * Where the main window reopens: the size, position and maximised state of last time, moved
 * and shrunk as needed so that it is entirely on a display that exists now (laptops are
 * undocked from projectors and external screens between sessions).
 */
import { z } from 'zod';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A display as Electron's `screen` reports it; workArea excludes task bars and docks. */
export interface DisplayArea {
  readonly workArea: Rect;
}

const coordinate = z.number().int().min(-100_000).max(100_000);
const length = z.number().int().min(1).max(100_000);

/** The JSON saved in userData/window-state.json. */
export const windowStateSchema = z.object({
  /** the restored ("normal") bounds, also while maximised */
  x: coordinate,
  y: coordinate,
  width: length,
  height: length,
  isMaximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof windowStateSchema>;

export interface WindowSizeLimits {
  readonly defaultWidth: number;
  readonly defaultHeight: number;
  readonly minWidth: number;
  readonly minHeight: number;
}

export const MAIN_WINDOW_LIMITS: WindowSizeLimits = {
  defaultWidth: 1280,
  defaultHeight: 820,
  minWidth: 960,
  minHeight: 600,
};

export interface RestoredWindow {
  readonly bounds: Rect;
  readonly isMaximized: boolean;
}

function intersectionArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/**
 * The bounds to open the window with.
 *
 * - No saved state: default size, centred on the primary display.
 * - Saved state overlapping a display: on the display it overlaps most, shrunk to fit its
 *   work area and moved (as little as possible) to lie entirely inside it.
 * - Saved state on no current display: the saved size (shrunk to fit), centred on primary.
 *
 * Always returns integer bounds that lie entirely inside one display's work area.
 */
export function restoreWindowBounds(
  saved: WindowState | null,
  displays: readonly DisplayArea[],
  primary: DisplayArea,
  limits: WindowSizeLimits = MAIN_WINDOW_LIMITS,
): RestoredWindow {
  const wanted: Rect = saved ?? {
    x: 0,
    y: 0,
    width: limits.defaultWidth,
    height: limits.defaultHeight,
  };

  let target: Rect | null = null;
  if (saved) {
    let best = 0;
    for (const display of displays) {
      const area = intersectionArea(wanted, display.workArea);
      if (area > best) {
        best = area;
        target = display.workArea;
      }
    }
  }
  const centre = target === null;
  const area = target ?? primary.workArea;

  // Never larger than the work area; at least the minimum size when the screen allows it.
  const width = Math.floor(clamp(wanted.width, Math.min(limits.minWidth, area.width), area.width));
  const height = Math.floor(clamp(wanted.height, Math.min(limits.minHeight, area.height), area.height));

  const x = centre
    ? Math.floor(area.x + (area.width - width) / 2)
    : Math.floor(clamp(wanted.x, area.x, area.x + area.width - width));
  const y = centre
    ? Math.floor(area.y + (area.height - height) / 2)
    : Math.floor(clamp(wanted.y, area.y, area.y + area.height - height));

  return { bounds: { x, y, width, height }, isMaximized: saved?.isMaximized ?? false };
}
