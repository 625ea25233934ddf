/**
 * `window.guanmo`: the API the preload exposes to the renderer. It is undefined in a plain
 * browser (the web build), so renderer code calls it as `window.guanmo?.…` and keeps a
 * browser fallback.
 *
 * Every method resolves to an `IpcOutcome` and never rejects for a refused or failed call.
 */
import type { IpcArgs, IpcResult } from './contract';
import type { IpcOutcome } from './outcome';

export const GUANMO_API_VERSION = 1;

export interface GuanmoApi {
  /** bumped when a method changes incompatibly */
  readonly apiVersion: typeof GUANMO_API_VERSION;
  getAppInfo(): Promise<IpcOutcome<IpcResult<'app:get-info'>>>;
  /** Save dialog, then writes `content`; `{saved: false}` when the user cancels. */
  saveFile(args: IpcArgs<'dialog:save-file'>): Promise<IpcOutcome<IpcResult<'dialog:save-file'>>>;
  /** Prints the current page to PDF, then a save dialog, then writes the file. */
  printToPdf(args: IpcArgs<'print:to-pdf'>): Promise<IpcOutcome<IpcResult<'print:to-pdf'>>>;
  /** Opens an http(s) link in the system browser. */
  openExternal(url: string): Promise<IpcOutcome<IpcResult<'shell:open-external'>>>;
  getServerSettings(): Promise<IpcOutcome<IpcResult<'settings:get-server'>>>;
  /**
   * Saves the sync server URL (null = back to default); reload the page to use it. Plain http to a
   * public address needs `allowPlainHttp` (after warning the user), else 'needs-confirmation'.
   */
  setServerUrl(serverUrl: string | null, options?: { allowPlainHttp?: boolean }): Promise<IpcOutcome<IpcResult<'settings:set-server'>>>;
  /** Whether the OS keychain protects the sync session here (false: Linux without a keyring). */
  checkKeychain(): Promise<IpcOutcome<IpcResult<'session:check-keychain'>>>;
  /** The sync session kept in the OS keychain, if any. */
  loadSession(): Promise<IpcOutcome<IpcResult<'session:load'>>>;
  /** Keeps the sync session in the OS keychain; `{stored: false}` when there is none. */
  saveSession(args: IpcArgs<'session:save'>): Promise<IpcOutcome<IpcResult<'session:save'>>>;
  /** Forgets the sync session kept in the OS keychain. */
  clearSession(): Promise<IpcOutcome<IpcResult<'session:clear'>>>;
  /** What the self-updater is doing (update-contract.ts). */
  getUpdateStatus(): Promise<IpcOutcome<IpcResult<'update:get-status'>>>;
  /** Looks for a newer version on the sync server now. */
  checkForUpdate(): Promise<IpcOutcome<IpcResult<'update:check'>>>;
  /** Restarts into the downloaded update — refused while work is pending (it then installs on quit). */
  installUpdate(): Promise<IpcOutcome<IpcResult<'update:install'>>>;
  /** Tells main whether a restart now would interrupt work. */
  reportWork(args: IpcArgs<'update:report-work'>): Promise<IpcOutcome<IpcResult<'update:report-work'>>>;
}
