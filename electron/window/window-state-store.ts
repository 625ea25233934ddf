/**
 * Window state on disk (userData/window-state.json) and the saver that follows the window:
 * moves and resizes are saved after they settle; the final state is written at close.
 */
import { join } from 'node:path';
import { readJsonFileSync, writeJsonFileAtomic, writeJsonFileAtomicSync } from '../files/json-file';
import { windowStateSchema, type WindowState } from './window-state';

export const WINDOW_STATE_FILE_NAME = 'window-state.json';

export function windowStateFile(userDataDir: string): string {
  return join(userDataDir, WINDOW_STATE_FILE_NAME);
}

export function loadWindowState(file: string): WindowState | null {
  return readJsonFileSync(file, windowStateSchema);
}

export interface WindowStateSaver {
  /** the window moved, resized, was maximised or restored */
  changed(): void;
  /** write now, synchronously (the window is closing) */
  flush(): void;
  dispose(): void;
}

export interface WindowStateSaverOptions {
  readonly file: string;
  /** the current state, or null when the window is gone or minimised (nothing worth saving) */
  readonly snapshot: () => WindowState | null;
  readonly delayMs?: number;
  readonly log?: (message: string, error?: unknown) => void;
  readonly timers?: {
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  };
}

export function createWindowStateSaver(options: WindowStateSaverOptions): WindowStateSaver {
  const delay = options.delayMs ?? 750;
  const log = options.log ?? (() => undefined);
  const timers = options.timers ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
  };
  let handle: unknown = null;
  let lastWritten: string | null = null;

  const take = (): WindowState | null => {
    const state = options.snapshot();
    if (state === null) return null;
    const parsed = windowStateSchema.safeParse(state);
    return parsed.success ? parsed.data : null;
  };

  const cancel = () => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
  };

  return {
    changed() {
      cancel();
      handle = timers.setTimeout(() => {
        handle = null;
        const state = take();
        if (state === null) return;
        const json = JSON.stringify(state);
        if (json === lastWritten) return;
        lastWritten = json;
        writeJsonFileAtomic(options.file, state).catch((error: unknown) => log('saving window state failed', error));
      }, delay);
    },
    flush() {
      cancel();
      const state = take();
      if (state === null) return;
      try {
        writeJsonFileAtomicSync(options.file, state);
        lastWritten = JSON.stringify(state);
      } catch (error) {
        log('saving window state failed', error);
      }
    },
    dispose: cancel,
  };
}
