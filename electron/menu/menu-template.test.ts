import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { aboutText } from './about-text';
import { buildMenuTemplate, menuLanguageFor, type MenuContext } from './menu-template';

function context(overrides: Partial<MenuContext> = {}): MenuContext {
  return {
    platform: 'linux',
    isPackaged: true,
    locale: 'zh-CN',
    productName: '观摩',
    actions: { showAbout: () => undefined },
    ...overrides,
  };
}

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

const roles = (items: readonly MenuItemConstructorOptions[]) => flatten(items).map((i) => i.role).filter(Boolean);

describe('application menu', () => {
  it('has the five Chinese top-level menus on Windows and Linux', () => {
    for (const platform of ['linux', 'win32'] as const) {
      expect(buildMenuTemplate(context({ platform })).map((m) => m.label)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    }
  });

  it('adds the app menu first on macOS', () => {
    const labels = buildMenuTemplate(context({ platform: 'darwin' })).map((m) => m.label);
    expect(labels).toEqual(['观摩', '文件', '编辑', '视图', '窗口', '帮助']);
  });

  it('uses roles for the standard actions, with Chinese labels', () => {
    const items = flatten(buildMenuTemplate(context()));
    const byRole = new Map(items.filter((i) => i.role).map((i) => [i.role, i.label]));
    expect(byRole.get('copy')).toBe('复制');
    expect(byRole.get('paste')).toBe('粘贴');
    expect(byRole.get('undo')).toBe('撤销');
    expect(byRole.get('quit')).toBe('退出');
    expect(byRole.get('togglefullscreen')).toBe('全屏');
    for (const item of items) {
      if (item.type !== 'separator') expect(item.label, JSON.stringify(item.role)).toBeTruthy();
    }
  });

  it('shows developer tools only in an unpackaged build', () => {
    expect(roles(buildMenuTemplate(context({ isPackaged: true })))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate(context({ isPackaged: true })))).not.toContain('forceReload');
    expect(roles(buildMenuTemplate(context({ isPackaged: false })))).toContain('toggleDevTools');
  });

  it('falls back to English for other locales', () => {
    expect(menuLanguageFor('zh-TW')).toBe('zh');
    expect(menuLanguageFor('')).toBe('zh');
    expect(menuLanguageFor('en-US')).toBe('en');
    expect(buildMenuTemplate(context({ locale: 'en-US' })).map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
  });

  it('opens the About box from Help', () => {
    const showAbout = vi.fn();
    const help = buildMenuTemplate(context({ actions: { showAbout } })).at(-1)!;
    const about = (help.submenu as MenuItemConstructorOptions[])[0]!;
    expect(about.label).toBe('关于观摩');
    (about.click as () => void)();
    expect(showAbout).toHaveBeenCalledOnce();
  });

  it('describes the versions in the About box', () => {
    const text = aboutText('zh-CN', { version: '0.1.0', electron: '45.4.1', chrome: '140.0', node: '22.1' });
    expect(text).toBe('版本 0.1.0\nElectron 45.4.1 · Chromium 140.0 · Node 22.1');
  });
});
