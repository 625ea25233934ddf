/**
 * What every IPC call resolves to. Errors are values, not rejections: Electron turns a thrown
 * error into "Error invoking remote method '…': Error: …" and contextBridge drops custom
 * properties, so a code would not survive a throw. The renderer switches on `error.code`
 * and shows its own (translated) message; `error.message` is for logs.
 */
export type IpcErrorCode =
  /** the call came from a frame that is not our app:// main frame */
  | 'forbidden'
  /** the argument failed the channel's schema */
  | 'invalid-args'
  /** the request was well-formed but refused by policy (e.g. a non-http URL to open) */
  | 'not-allowed'
  /** allowed only once the user has confirmed it (plain http to a public address) */
  | 'needs-confirmation'
  /** reading or writing a file failed */
  | 'io'
  /** anything unexpected; details are only in the main process log */
  | 'internal';

export interface IpcError {
  readonly code: IpcErrorCode;
  readonly message: string;
}

export type IpcOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export function ipcOk<T>(value: T): IpcOutcome<T> {
  return { ok: true, value };
}

export function ipcErr(code: IpcErrorCode, message: string): IpcOutcome<never> {
  return { ok: false, error: { code, message } };
}
