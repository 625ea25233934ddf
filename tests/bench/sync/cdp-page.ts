/**
 * A headless Chromium page driven over the DevTools protocol directly (--remote-debugging-pipe),
 * with nothing but Runtime.evaluate. For the PouchDB browser peer: PouchDB sends its attachments
 * inline in request bodies of hundreds of MB, and Playwright, which always watches the network,
 * receives each body in a protocol event and fails on a string that long (ERR_STRING_TOO_LONG).
 * Without Network.enable nothing carries the bodies. Same browser, flags and fresh profile as
 * tests/e2e/helpers/chromium.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { chromiumArgs, chromiumPath } from '../../e2e/helpers/chromium';

export interface CdpPage {
  /** Evaluates `expression` in the page, awaiting a promise; returns the JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

interface CdpMessage {
  id?: number;
  method?: string;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
  params?: Record<string, unknown>;
}

/** Opens `url` in a new headless Chromium and waits until `readyExpression` is true there. */
export async function openCdpPage(url: string, readyExpression: string): Promise<CdpPage> {
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-chromium-cdp-'));
  const child: ChildProcess = spawn(chromiumPath, [...chromiumArgs, '--remote-debugging-pipe', `--user-data-dir=${userDataDir}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve: (m: CdpMessage) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let buffered = Buffer.alloc(0);
  fromBrowser.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
      const message = JSON.parse(buffered.subarray(0, end).toString('utf8')) as CdpMessage;
      buffered = buffered.subarray(end + 1);
      if (message.id === undefined) continue;
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message);
    }
  });
  child.once('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('Chromium exited'));
    pending.clear();
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<CdpMessage> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await fs.rm(userDataDir, { recursive: true, force: true });
  };
  try {
    const { result: created } = await send('Target.createTarget', { url });
    const { result: attached } = await send('Target.attachToTarget', { targetId: created!.targetId, flatten: true });
    const sessionId = String(attached!.sessionId);
    const evaluate = async <T>(expression: string): Promise<T> => {
      const { result } = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
      const details = result!.exceptionDetails as { exception?: { description?: string }; text?: string } | undefined;
      if (details) throw new Error(`in the page: ${details.exception?.description ?? details.text ?? 'exception'}`);
      return (result!.result as { value: T }).value;
    };
    const deadline = Date.now() + 30_000;
    while (!(await evaluate<boolean>(`Boolean(${readyExpression})`).catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${url} was not ready within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { evaluate, close };
  } catch (error) {
    await close();
    throw error;
  }
}
