/**
 * Preload of the main window: exposes `window.guanmo` and nothing else. Runs sandboxed, so it
 * is bundled into one CommonJS file (dist/electron/preload.cjs) whose only require is
 * 'electron' (build/build-electron.mjs checks that).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { GuanmoApi } from '@shared/ipc/api';
import { createGuanmoApi, type IpcInvoke } from './preload-api';

// An unexpected failure in the transport (not an IPC error value) still resolves, as an
// `internal` error, so renderer code only ever deals with IpcOutcome values.
const invoke: IpcInvoke = (channel, args) =>
  ipcRenderer.invoke(channel, args).catch((error: unknown) => ({
    ok: false as const,
    error: { code: 'internal' as const, message: `${channel}: ${error instanceof Error ? error.message : String(error)}` },
  }));

const api = createGuanmoApi(invoke) satisfies GuanmoApi;

contextBridge.exposeInMainWorld('guanmo', api);
