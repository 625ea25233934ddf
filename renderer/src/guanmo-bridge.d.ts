/**
 * `window.guanmo`: the desktop bridge exposed by the Electron preload (electron/preload.ts).
 * Undefined in a plain browser (the web build served by the sync server), so always call it
 * as `window.guanmo?.…` and keep a browser fallback. Every method resolves to an IpcOutcome:
 * check `.ok` before using `.value`; it never rejects for a refused or failed call.
 *
 * The sync session's token goes through it to the OS keychain (checkKeychain, loadSession,
 * saveSession, clearSession; see renderer/src/sync/session-store.ts). Code that may run against
 * an older preload checks that a method exists before calling it.
 */
import type { GuanmoApi } from '@shared/ipc/api';

declare global {
  interface Window {
    readonly guanmo?: GuanmoApi;
  }
}

export {};
