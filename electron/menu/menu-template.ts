/**
 * The application menu as data. Chinese labels first (the app's users), English for other
 * OS locales. Standard actions use Electron roles, so they follow each OS's conventions and
 * accelerators. Developer tools appear only in an unpackaged (development) build.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuContext {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  /** the OS UI locale, e.g. "zh-CN" */
  readonly locale: string;
  readonly productName: string;
  readonly actions: {
    readonly showAbout: () => void;
  };
}

const LABELS = {
  zh: {
    file: '文件',
    edit: '编辑',
    view: '视图',
    window: '窗口',
    help: '帮助',
    close: '关闭窗口',
    quit: '退出',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    reload: '重新加载',
    forceReload: '强制重新加载',
    devTools: '开发者工具',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    fullScreen: '全屏',
    minimize: '最小化',
    zoom: '缩放',
    front: '前置全部窗口',
    about: (name: string) => `关于${name}`,
    hide: (name: string) => `隐藏${name}`,
    hideOthers: '隐藏其他',
    unhide: '全部显示',
    services: '服务',
  },
  en: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    close: 'Close Window',
    quit: 'Quit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    reload: 'Reload',
    forceReload: 'Force Reload',
    devTools: 'Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    fullScreen: 'Toggle Full Screen',
    minimize: 'Minimize',
    zoom: 'Zoom',
    front: 'Bring All to Front',
    about: (name: string) => `About ${name}`,
    hide: (name: string) => `Hide ${name}`,
    hideOthers: 'Hide Others',
    unhide: 'Show All',
    services: 'Services',
  },
} as const;

export type MenuLanguage = keyof typeof LABELS;

/** Chinese for any zh locale and as the default; English for other explicit locales. */
export function menuLanguageFor(locale: string): MenuLanguage {
  const lower = locale.trim().toLowerCase();
  return lower === '' || lower.startsWith('zh') ? 'zh' : 'en';
}

export function buildMenuTemplate(context: MenuContext): MenuItemConstructorOptions[] {
  const t = LABELS[menuLanguageFor(context.locale)];
  const isMac = context.platform === 'darwin';
  const name = context.productName;
  const about: MenuItemConstructorOptions = { label: t.about(name), click: () => context.actions.showAbout() };

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: name,
      submenu: [
        about,
        { type: 'separator' },
        { role: 'services', label: t.services },
        { type: 'separator' },
        { role: 'hide', label: t.hide(name) },
        { role: 'hideOthers', label: t.hideOthers },
        { role: 'unhide', label: t.unhide },
        { type: 'separator' },
        { role: 'quit', label: t.quit },
      ],
    });
  }
  template.push({
    label: t.file,
    submenu: isMac ? [{ role: 'close', label: t.close }] : [{ role: 'close', label: t.close }, { role: 'quit', label: t.quit }],
  });
  template.push({
    label: t.edit,
    submenu: [
      { role: 'undo', label: t.undo },
      { role: 'redo', label: t.redo },
      { type: 'separator' },
      { role: 'cut', label: t.cut },
      { role: 'copy', label: t.copy },
      { role: 'paste', label: t.paste },
      { role: 'selectAll', label: t.selectAll },
    ],
  });
  template.push({
    label: t.view,
    submenu: [
      // Reloading is safe in production: everything the user entered is already in IndexedDB.
      { role: 'reload', label: t.reload },
      ...(context.isPackaged
        ? []
        : ([
            { role: 'forceReload', label: t.forceReload },
            { role: 'toggleDevTools', label: t.devTools },
          ] satisfies MenuItemConstructorOptions[])),
      { type: 'separator' },
      { role: 'resetZoom', label: t.resetZoom },
      { role: 'zoomIn', label: t.zoomIn },
      { role: 'zoomOut', label: t.zoomOut },
      { type: 'separator' },
      { role: 'togglefullscreen', label: t.fullScreen },
    ],
  });
  template.push({
    label: t.window,
    submenu: isMac
      ? [
          { role: 'minimize', label: t.minimize },
          { role: 'zoom', label: t.zoom },
          { type: 'separator' },
          { role: 'front', label: t.front },
        ]
      : [
          { role: 'minimize', label: t.minimize },
          { role: 'close', label: t.close },
        ],
  });
  template.push({ label: t.help, role: 'help', submenu: [about] });
  return template;
}
