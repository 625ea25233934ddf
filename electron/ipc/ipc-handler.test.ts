import { IPC_CHANNELS } from '@shared/ipc/channels';
import type { AppInfo } from '@shared/ipc/contract';
import { describe, expect, it, vi } from 'vitest';
import {
  createIpcHandler,
  IpcFailure,
  isTrustedSender,
  registerIpcHandlers,
  type IpcImplementations,
  type IpcSenderEvent,
} from './ipc-handler';

interface FakeEvent extends IpcSenderEvent {
  readonly id: string;
}

const mainFrame = (url: string): FakeEvent => ({ id: 'e', senderFrame: { url, parent: null } });
const subFrame = (url: string): FakeEvent => ({ id: 'e', senderFrame: { url, parent: { url: 'app://guanmo/' } } });
const APP = 'app://guanmo/index.html#/tours';

const info: AppInfo = {
  name: '观摩',
  version: '0.1.0',
  platform: 'linux',
  arch: 'x64',
  versions: { electron: '45.4.1', chrome: '140', node: '22' },
  isPackaged: false,
  locale: 'zh-CN',
  serverUrl: 'http://127.0.0.1:8787',
  serverUrlSource: 'default',
};

describe('isTrustedSender', () => {
  it('trusts only the main frame of our app:// page', () => {
    expect(isTrustedSender(mainFrame(APP))).toBe(true);
    expect(isTrustedSender(mainFrame('https://evil.example/'))).toBe(false);
    expect(isTrustedSender(mainFrame('file:///tmp/x.html'))).toBe(false);
    expect(isTrustedSender(mainFrame('app://evil/index.html'))).toBe(false);
    expect(isTrustedSender(mainFrame('about:blank'))).toBe(false);
    expect(isTrustedSender(subFrame(APP))).toBe(false);
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
  });

  it('treats a frame that cannot be read as untrusted', () => {
    const gone = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    };
    expect(isTrustedSender(gone)).toBe(false);
  });
});

describe('createIpcHandler', () => {
  it('passes parsed arguments (defaults filled in) and the event to the implementation', async () => {
    const impl = vi.fn(async () => ({ saved: false as const }));
    const handler = createIpcHandler<'print:to-pdf', FakeEvent>('print:to-pdf', impl, () => undefined);
    const event = mainFrame(APP);
    const outcome = await handler(event, { suggestedName: '通报' });
    expect(outcome).toEqual({ ok: true, value: { saved: false } });
    expect(impl).toHaveBeenCalledWith(
      { suggestedName: '通报', pageSize: 'A4', landscape: false, printBackground: true, margins: 'default' },
      event,
    );
  });

  it('rejects a foreign sender before looking at the arguments', async () => {
    const impl = vi.fn(() => info);
    const log = vi.fn();
    const handler = createIpcHandler<'app:get-info', FakeEvent>('app:get-info', impl, log);
    for (const event of [mainFrame('https://evil.example/'), subFrame(APP), { id: 'x', senderFrame: null }]) {
      const outcome = await handler(event, {});
      expect(outcome).toEqual({ ok: false, error: { code: 'forbidden', message: 'app:get-info: caller is not the app window' } });
    }
    expect(impl).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(3);
    expect(String(log.mock.calls[0]![0])).toContain('https://evil.example/');
  });

  it('rejects bad arguments with a clean, specific error', async () => {
    const impl = vi.fn(async () => ({ opened: true as const }));
    const handler = createIpcHandler<'shell:open-external', FakeEvent>('shell:open-external', impl, () => undefined);
    const event = mainFrame(APP);

    const badUrl = await handler(event, { url: 'file:///etc/passwd' });
    expect(badUrl.ok).toBe(false);
    if (!badUrl.ok) {
      expect(badUrl.error.code).toBe('invalid-args');
      expect(badUrl.error.message).toMatch(/^shell:open-external: url: /);
      expect(badUrl.error.message).not.toMatch(/\n|at .*\.ts/);
    }
    const extraKey = await handler(event, { url: 'https://a.cn/', evil: true });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
    const noArg = await handler(event);
    expect(noArg).toMatchObject({ ok: false, error: { code: 'invalid-args', message: expect.stringContaining('exactly one') } });
    const twoArgs = await handler(event, { url: 'https://a.cn/' }, 'more');
    expect(twoArgs).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
    const notObject = await handler(event, 'https://a.cn/');
    expect(notObject).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
    expect(impl).not.toHaveBeenCalled();
  });

  it('turns expected failures into their code and hides unexpected ones', async () => {
    const log = vi.fn();
    const failing = createIpcHandler<'shell:open-external', FakeEvent>(
      'shell:open-external',
      () => {
        throw new IpcFailure('not-allowed', 'nope');
      },
      log,
    );
    expect(await failing(mainFrame(APP), { url: 'https://a.cn/' })).toEqual({
      ok: false,
      error: { code: 'not-allowed', message: 'nope' },
    });

    const crashing = createIpcHandler<'app:get-info', FakeEvent>(
      'app:get-info',
      () => {
        throw new Error('secret detail /home/user/.config');
      },
      log,
    );
    const outcome = await crashing(mainFrame(APP), {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!outcome.ok) expect(outcome.error.message).not.toContain('secret');
    expect(log).toHaveBeenCalledWith('ipc app:get-info: failed', expect.any(Error));
  });

  it('refuses to hand out a result outside the contract', async () => {
    const log = vi.fn();
    const handler = createIpcHandler<'app:get-info', FakeEvent>(
      'app:get-info',
      () => ({ ...info, secretToken: 'x' }) as AppInfo,
      log,
    );
    expect(await handler(mainFrame(APP), {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(String(log.mock.calls[0]![0])).toContain('outside the contract');
  });

  it('returns good results', async () => {
    const handler = createIpcHandler<'app:get-info', FakeEvent>('app:get-info', () => info, () => undefined);
    expect(await handler(mainFrame(APP), {})).toEqual({ ok: true, value: info });
  });
});

describe('registerIpcHandlers', () => {
  it('registers every channel of the contract, each guarded', async () => {
    const handlers = new Map<string, (event: FakeEvent, ...args: unknown[]) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, listener: (event: FakeEvent, ...args: unknown[]) => Promise<unknown>) => void handlers.set(channel, listener) };
    const unreachable = () => {
      throw new Error('must not run');
    };
    const impls = Object.fromEntries(IPC_CHANNELS.map((c) => [c, unreachable])) as unknown as IpcImplementations<FakeEvent>;
    registerIpcHandlers(ipcMain, impls, () => undefined);
    expect([...handlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    for (const [channel, handler] of handlers) {
      expect(await handler(mainFrame('https://evil.example/'), {}), channel).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });
});
