import { menuLanguageFor } from './menu-template';

/** The detail line of the About box. */
export function aboutText(locale: string, info: { version: string; electron: string; chrome: string; node: string }): string {
  const versionLabel = menuLanguageFor(locale) === 'zh' ? '版本' : 'Version';
  return [`${versionLabel} ${info.version}`, `Electron ${info.electron} · Chromium ${info.chrome} · Node ${info.node}`].join('\n');
}
