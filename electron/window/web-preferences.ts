/**
 * The renderer's sandbox. Every flag is spelled out, also where it matches Electron's default,
 * so a reader (and the test) sees the whole policy and a default changing upstream cannot
 * loosen it.
 *
 * DevTools only in development: in a packaged build anyone at the laptop could otherwise open
 * them and read the session token and every record, or run code in the app's origin.
 */
import type { WebPreferences } from 'electron';

export interface WebPreferencesContext {
  /** app.isPackaged: an installed build (no DevTools) rather than `npm start` */
  readonly isPackaged: boolean;
}

export function mainWindowWebPreferences(preloadPath: string, { isPackaged }: WebPreferencesContext): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: !isPackaged,
  };
}
