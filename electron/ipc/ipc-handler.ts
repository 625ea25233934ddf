/**
 * The one wrapper every IPC handler goes through (after Signal-Desktop's rule: the renderer is
 * untrusted input). In order:
 *   1. the sender must be the main frame of our app:// page — not a subframe, not a page
 *      that somehow navigated elsewhere;
 *   2. the single argument is parsed with the channel's zod schema;
 *   3. the implementation runs on the parsed value, and its result is checked against the
 *      contract too;
 * and the caller always gets an `IpcOutcome`: a value, or a clean `{code, message}` error.
 * Stack traces and unexpected error details stay in the main-process log.
 */
import { ipcContract, type IpcParsedArgs, type IpcResult } from '@shared/ipc/contract';
import type { IpcChannel } from '@shared/ipc/channels';
import { ipcErr, ipcOk, type IpcErrorCode, type IpcOutcome } from '@shared/ipc/outcome';
import type { z } from 'zod';
import { isAppUrl } from '../config/app-origin';

/** The part of Electron's IpcMainInvokeEvent the checks need. */
export interface IpcSenderEvent {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** An expected failure with a code the renderer can act on; its message reaches the renderer. */
export class IpcFailure extends Error {
  constructor(
    readonly code: Extract<IpcErrorCode, 'not-allowed' | 'io' | 'needs-confirmation'>,
    message: string,
  ) {
    super(message);
    this.name = 'IpcFailure';
  }
}

export type IpcImplementation<C extends IpcChannel, E> = (
  args: IpcParsedArgs<C>,
  event: E,
) => Promise<IpcResult<C>> | IpcResult<C>;

export type IpcHandler<C extends IpcChannel, E> = (event: E, ...args: unknown[]) => Promise<IpcOutcome<IpcResult<C>>>;

export type IpcLog = (message: string, error?: unknown) => void;

export function isTrustedSender(event: IpcSenderEvent): boolean {
  let frame: IpcSenderEvent['senderFrame'];
  try {
    // Electron may throw or return null when the frame is already gone.
    frame = event.senderFrame;
  } catch {
    return false;
  }
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

const MAX_ERROR_MESSAGE = 500;

/** "suggestedName: Too small…; filters.0.extensions: …", short enough to log and show. */
export function describeZodError(error: z.ZodError): string {
  const text = error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(argument)'}: ${issue.message}`)
    .join('; ');
  return text.length > MAX_ERROR_MESSAGE ? `${text.slice(0, MAX_ERROR_MESSAGE - 1)}…` : text;
}

export function createIpcHandler<C extends IpcChannel, E extends IpcSenderEvent>(
  channel: C,
  implementation: IpcImplementation<C, E>,
  log: IpcLog,
): IpcHandler<C, E> {
  const spec = ipcContract[channel];
  return async (event, ...rawArgs) => {
    if (!isTrustedSender(event)) {
      log(`ipc ${channel}: refused a call from an untrusted frame (${safeFrameUrl(event)})`);
      return ipcErr('forbidden', `${channel}: caller is not the app window`);
    }
    if (rawArgs.length !== 1) {
      return ipcErr('invalid-args', `${channel}: expected exactly one argument, got ${rawArgs.length}`);
    }
    const parsed = spec.args.safeParse(rawArgs[0]);
    if (!parsed.success) {
      return ipcErr('invalid-args', `${channel}: ${describeZodError(parsed.error)}`);
    }
    let result: unknown;
    try {
      result = await implementation(parsed.data as IpcParsedArgs<C>, event);
    } catch (error) {
      if (error instanceof IpcFailure) return ipcErr(error.code, error.message);
      log(`ipc ${channel}: failed`, error);
      return ipcErr('internal', `${channel}: internal error (see the application log)`);
    }
    const checked = spec.result.safeParse(result);
    if (!checked.success) {
      log(`ipc ${channel}: implementation returned a value outside the contract: ${describeZodError(checked.error)}`);
      return ipcErr('internal', `${channel}: internal error (see the application log)`);
    }
    return ipcOk(checked.data as IpcResult<C>);
  };
}

function safeFrameUrl(event: IpcSenderEvent): string {
  try {
    return event.senderFrame?.url ?? 'no frame';
  } catch {
    return 'frame unavailable';
  }
}

export type IpcImplementations<E> = { readonly [C in IpcChannel]: IpcImplementation<C, E> };

/** The part of Electron's ipcMain registration needs. */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void;
}

/** Registers every channel of the contract, each through `createIpcHandler`. */
export function registerIpcHandlers<E extends IpcSenderEvent>(
  ipcMain: IpcMainLike<E>,
  implementations: IpcImplementations<E>,
  log: IpcLog,
): void {
  for (const channel of Object.keys(ipcContract) as IpcChannel[]) {
    registerOne(ipcMain, channel, implementations, log);
  }
}

function registerOne<C extends IpcChannel, E extends IpcSenderEvent>(
  ipcMain: IpcMainLike<E>,
  channel: C,
  implementations: IpcImplementations<E>,
  log: IpcLog,
): void {
  ipcMain.handle(channel, createIpcHandler(channel, implementations[channel] as IpcImplementation<C, E>, log));
}
