/**
 * The renderer's sandbox. Every flag is spelled out, also where it matches Electron's default,
 * so a reader (and the test) sees the whole policy and a default changing upstream cannot
 * loosen it.
 */
import type { WebPreferences } from 'electron';

export function mainWindowWebPreferences(preloadPath: string): WebPreferences {
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
    devTools: true,
  };
}
