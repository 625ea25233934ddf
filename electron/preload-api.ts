/**
 * The object the preload exposes as `window.guanmo`, built on an `invoke` function so it can
 * be tested without Electron. It only forwards: main validates every argument (the renderer
 * could call ipcRenderer itself if it were compromised, so checks here would protect nothing).
 *
 * What must stay true: no method hands out ipcRenderer, an event object or any function that
 * reaches arbitrary channels; each method names one fixed channel.
 */
import { GUANMO_API_VERSION, type GuanmoApi } from '@shared/ipc/api';
import type { IpcChannel } from '@shared/ipc/channels';
import type { IpcArgs, IpcResult } from '@shared/ipc/contract';
import type { IpcOutcome } from '@shared/ipc/outcome';

export type IpcInvoke = <C extends IpcChannel>(channel: C, args: IpcArgs<C>) => Promise<IpcOutcome<IpcResult<C>>>;

export function createGuanmoApi(invoke: IpcInvoke) {
  return Object.freeze({
    apiVersion: GUANMO_API_VERSION,
    getAppInfo: () => invoke('app:get-info', {}),
    saveFile: (args: IpcArgs<'dialog:save-file'>) => invoke('dialog:save-file', args),
    printToPdf: (args: IpcArgs<'print:to-pdf'>) => invoke('print:to-pdf', args),
    openExternal: (url: string) => invoke('shell:open-external', { url }),
    getServerSettings: () => invoke('settings:get-server', {}),
    setServerUrl: (serverUrl: string | null, options?: { allowPlainHttp?: boolean }) =>
      invoke('settings:set-server', { serverUrl, ...(options?.allowPlainHttp ? { allowPlainHttp: true } : {}) }),
    checkKeychain: () => invoke('session:check-keychain', {}),
    loadSession: () => invoke('session:load', {}),
    saveSession: (args: IpcArgs<'session:save'>) => invoke('session:save', args),
    clearSession: () => invoke('session:clear', {}),
    getUpdateStatus: () => invoke('update:get-status', {}),
    checkForUpdate: () => invoke('update:check', {}),
    installUpdate: () => invoke('update:install', {}),
    reportWork: (args: IpcArgs<'update:report-work'>) => invoke('update:report-work', args),
  } satisfies GuanmoApi);
}
