import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WindowState } from './window-state';
import { createWindowStateSaver, loadWindowState, windowStateFile } from './window-state-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guanmo-window-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

describe('window state file', () => {
  it('is null when missing or corrupt', async () => {
    const file = windowStateFile(dir);
    expect(loadWindowState(file)).toBeNull();
    await writeFile(file, '{"x": 1, "y"');
    expect(loadWindowState(file)).toBeNull();
    await writeFile(file, JSON.stringify({ x: 1, y: 2, width: -5, height: 3 }));
    expect(loadWindowState(file)).toBeNull();
  });

  it('round-trips through flush, leaving no temporary files', async () => {
    const file = windowStateFile(dir);
    const state: WindowState = { x: 10, y: 20, width: 1300, height: 850, isMaximized: true };
    const saver = createWindowStateSaver({ file, snapshot: () => state });
    saver.flush();
    expect(loadWindowState(file)).toEqual(state);
    expect(await readdir(dir)).toEqual(['window-state.json']);
  });
});

describe('window state saver', () => {
  it('saves once after moves settle, not on every event', async () => {
    vi.useFakeTimers();
    const file = windowStateFile(dir);
    let state: WindowState = { x: 0, y: 0, width: 1000, height: 700, isMaximized: false };
    const snapshot = vi.fn(() => state);
    const saver = createWindowStateSaver({ file, snapshot, delayMs: 500 });
    for (let i = 1; i <= 20; i++) {
      state = { ...state, x: i * 10 };
      saver.changed();
      vi.advanceTimersByTime(100);
    }
    expect(snapshot).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(snapshot).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
    await vi.waitFor(async () => {
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ x: 200 });
    });
  });

  it('skips minimised windows and cancels pending saves on dispose', () => {
    vi.useFakeTimers();
    const file = windowStateFile(dir);
    const snapshot = vi.fn((): WindowState | null => null);
    const saver = createWindowStateSaver({ file, snapshot, delayMs: 100 });
    saver.flush();
    expect(loadWindowState(file)).toBeNull();
    saver.changed();
    saver.dispose();
    vi.advanceTimersByTime(1000);
    expect(snapshot).toHaveBeenCalledTimes(1);
  });
});
