import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAIN_WINDOW_LIMITS, restoreWindowBounds, windowStateSchema, type DisplayArea, type Rect } from './window-state';

const laptop: DisplayArea = { workArea: { x: 0, y: 0, width: 1920, height: 1050 } };
const projectorRight: DisplayArea = { workArea: { x: 1920, y: 0, width: 1280, height: 720 } };
const small: DisplayArea = { workArea: { x: 0, y: 25, width: 1024, height: 743 } };

function inside(bounds: Rect, area: Rect): boolean {
  return (
    bounds.x >= area.x &&
    bounds.y >= area.y &&
    bounds.x + bounds.width <= area.x + area.width &&
    bounds.y + bounds.height <= area.y + area.height
  );
}

describe('restoreWindowBounds', () => {
  it('opens at the default size centred on the primary display the first time', () => {
    expect(restoreWindowBounds(null, [laptop], laptop)).toEqual({
      bounds: { x: 320, y: 115, width: 1280, height: 820 },
      isMaximized: false,
    });
  });

  it('keeps a saved state that is fully visible', () => {
    const saved = { x: 100, y: 80, width: 1400, height: 900, isMaximized: true };
    expect(restoreWindowBounds(saved, [laptop, projectorRight], laptop)).toEqual({
      bounds: { x: 100, y: 80, width: 1400, height: 900 },
      isMaximized: true,
    });
  });

  it('moves a window back from a projector that is no longer connected', () => {
    const saved = { x: 2000, y: 50, width: 1200, height: 700, isMaximized: false };
    const restored = restoreWindowBounds(saved, [laptop], laptop);
    expect(restored.bounds).toEqual({ x: 360, y: 175, width: 1200, height: 700 });
  });

  it('keeps a window on the display it mostly overlaps, pulled fully inside', () => {
    const saved = { x: 2900, y: 100, width: 1000, height: 600, isMaximized: false };
    const restored = restoreWindowBounds(saved, [laptop, projectorRight], laptop);
    expect(restored.bounds).toEqual({ x: 2200, y: 100, width: 1000, height: 600 });
  });

  it('shrinks a window larger than the screen it lands on', () => {
    const saved = { x: 0, y: 0, width: 2560, height: 1400, isMaximized: false };
    const restored = restoreWindowBounds(saved, [small], small);
    expect(restored.bounds).toEqual({ x: 0, y: 25, width: 1024, height: 743 });
  });

  it('never goes below the minimum size when the screen has room', () => {
    const saved = { x: 10, y: 10, width: 200, height: 100, isMaximized: false };
    const restored = restoreWindowBounds(saved, [laptop], laptop);
    expect(restored.bounds.width).toBe(MAIN_WINDOW_LIMITS.minWidth);
    expect(restored.bounds.height).toBe(MAIN_WINDOW_LIMITS.minHeight);
  });

  it('always lands entirely inside one current display (property)', () => {
    const rect = fc.record({
      x: fc.integer({ min: -5000, max: 5000 }),
      y: fc.integer({ min: -3000, max: 3000 }),
      width: fc.integer({ min: 320, max: 4000 }),
      height: fc.integer({ min: 240, max: 3000 }),
    });
    const saved = fc.option(
      fc.record({
        x: fc.integer({ min: -100_000, max: 100_000 }),
        y: fc.integer({ min: -100_000, max: 100_000 }),
        width: fc.integer({ min: 1, max: 100_000 }),
        height: fc.integer({ min: 1, max: 100_000 }),
        isMaximized: fc.boolean(),
      }),
      { nil: null },
    );
    fc.assert(
      fc.property(saved, fc.array(rect, { minLength: 1, maxLength: 4 }), (state, areas) => {
        const displays = areas.map((workArea) => ({ workArea }));
        const { bounds } = restoreWindowBounds(state, displays, displays[0]!);
        return (
          Number.isInteger(bounds.x) &&
          Number.isInteger(bounds.y) &&
          bounds.width > 0 &&
          bounds.height > 0 &&
          displays.some((d) => inside(bounds, d.workArea))
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('windowStateSchema', () => {
  it('refuses garbage from a hand-edited file', () => {
    expect(windowStateSchema.safeParse({ x: 1, y: 2, width: 800, height: 600 }).success).toBe(true);
    expect(windowStateSchema.safeParse({ x: 1, y: 2, width: 0, height: 600 }).success).toBe(false);
    expect(windowStateSchema.safeParse({ x: 'a', y: 2, width: 800, height: 600 }).success).toBe(false);
    expect(windowStateSchema.safeParse({ x: 1e9, y: 2, width: 800, height: 600 }).success).toBe(false);
    expect(windowStateSchema.safeParse({ x: 1.5, y: 2, width: 800, height: 600 }).success).toBe(false);
  });
});
