/** Electron wiring for the application menu and the About box. */
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { aboutText } from './about-text';
import { buildMenuTemplate, menuLanguageFor } from './menu-template';

export function installApplicationMenu(productName: string): void {
  const locale = app.getLocale();
  const showAbout = () => {
    const parent = BrowserWindow.getFocusedWindow();
    const options = {
      type: 'info' as const,
      title: productName,
      message: productName,
      detail: aboutText(locale, {
        version: app.getVersion(),
        electron: process.versions.electron ?? '',
        chrome: process.versions.chrome ?? '',
        node: process.versions.node,
      }),
      buttons: [menuLanguageFor(locale) === 'zh' ? '确定' : 'OK'],
    };
    void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
  };
  const template = buildMenuTemplate({
    platform: process.platform,
    isPackaged: app.isPackaged,
    locale,
    productName,
    actions: { showAbout },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
