import { describe, expect, it } from 'vitest';
import { mainWindowWebPreferences } from './web-preferences';

describe('main window webPreferences', () => {
  it('isolates and sandboxes the renderer', () => {
    const prefs = mainWindowWebPreferences('/app/dist/electron/preload.cjs', { isPackaged: true });
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(prefs.enableBlinkFeatures).toBe('');
  });

  it('has DevTools in development only, never in a packaged build', () => {
    expect(mainWindowWebPreferences('/p.cjs', { isPackaged: true }).devTools).toBe(false);
    expect(mainWindowWebPreferences('/p.cjs', { isPackaged: false }).devTools).toBe(true);
  });
});
