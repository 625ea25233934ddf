import { describe, expect, it } from 'vitest';
import { ALLOWED_PERMISSIONS, decidePermissionCheck, decidePermissionRequest } from './permission-policy';

const APP = 'app://guanmo/index.html';

describe('permission requests', () => {
  it('grants the allowlist to our main frame', () => {
    expect(decidePermissionRequest({ permission: 'fullscreen', requestingUrl: APP, isMainFrame: true })).toBe(true);
    expect(
      decidePermissionRequest({ permission: 'clipboard-sanitized-write', requestingUrl: APP, isMainFrame: true }),
    ).toBe(true);
    expect(decidePermissionRequest({ permission: 'persistent-storage', requestingUrl: APP, isMainFrame: true })).toBe(
      true,
    );
  });

  it('grants the camera but not the microphone', () => {
    const media = (mediaTypes: string[] | undefined) =>
      decidePermissionRequest({ permission: 'media', requestingUrl: APP, isMainFrame: true, mediaTypes });
    expect(media(['video'])).toBe(true);
    expect(media(['audio'])).toBe(false);
    expect(media(['video', 'audio'])).toBe(false);
    expect(media([])).toBe(false);
    expect(media(undefined)).toBe(false);
  });

  it('denies everything else', () => {
    for (const permission of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'display-capture',
      'openExternal',
      'midi',
      'midiSysex',
      'pointerLock',
      'hid',
      'serial',
      'usb',
      'fileSystem',
      'idle-detection',
      'window-management',
      'unknown',
    ]) {
      expect(decidePermissionRequest({ permission, requestingUrl: APP, isMainFrame: true }), permission).toBe(false);
    }
  });

  it('denies foreign pages and subframes even for allowed permissions', () => {
    for (const permission of ALLOWED_PERMISSIONS) {
      const base = { permission, mediaTypes: ['video'] };
      expect(decidePermissionRequest({ ...base, requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
      expect(decidePermissionRequest({ ...base, requestingUrl: 'file:///tmp/x.html', isMainFrame: true })).toBe(false);
      expect(decidePermissionRequest({ ...base, requestingUrl: 'app://other/', isMainFrame: true })).toBe(false);
      expect(decidePermissionRequest({ ...base, requestingUrl: undefined, isMainFrame: true })).toBe(false);
      expect(decidePermissionRequest({ ...base, requestingUrl: APP, isMainFrame: false })).toBe(false);
    }
  });
});

describe('permission checks', () => {
  it('answers yes only for allowlisted permissions of our origin', () => {
    expect(decidePermissionCheck({ permission: 'fullscreen', requestingOrigin: 'app://guanmo', isMainFrame: true })).toBe(
      true,
    );
    expect(
      decidePermissionCheck({ permission: 'media', requestingOrigin: 'app://guanmo', isMainFrame: true, mediaType: 'video' }),
    ).toBe(true);
    expect(
      decidePermissionCheck({ permission: 'media', requestingOrigin: 'app://guanmo', isMainFrame: true, mediaType: 'audio' }),
    ).toBe(false);
    expect(
      decidePermissionCheck({ permission: 'geolocation', requestingOrigin: 'app://guanmo', isMainFrame: true }),
    ).toBe(false);
    expect(
      decidePermissionCheck({ permission: 'fullscreen', requestingOrigin: 'https://evil.example', isMainFrame: true }),
    ).toBe(false);
    expect(
      decidePermissionCheck({
        permission: 'fullscreen',
        requestingOrigin: 'app://guanmo',
        requestingUrl: 'https://evil.example/',
        isMainFrame: true,
      }),
    ).toBe(false);
    expect(decidePermissionCheck({ permission: 'fullscreen', requestingOrigin: 'app://guanmo', isMainFrame: false })).toBe(
      false,
    );
  });
});
