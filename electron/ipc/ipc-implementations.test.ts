import { join } from 'node:path';
import type { AppInfo, SetServerResult } from '@shared/ipc/contract';
import { describe, expect, it } from 'vitest';
import { createIpcHandler, type IpcSenderEvent } from './ipc-handler';
import { createIpcImplementations, toPdfOptions, type IpcCapabilities, type PdfOptions, type SaveDialogRequest } from './ipc-implementations';

type Event = IpcSenderEvent & { readonly name: string };
const event: Event = { name: 'main', senderFrame: { url: 'app://guanmo/index.html', parent: null } };
const DOCS = join('/home', 'user', 'Documents');

function fakeCaps(overrides: Partial<IpcCapabilities<Event>> = {}) {
  const steps: string[] = [];
  const written = new Map<string, string | Uint8Array>();
  const dialogs: SaveDialogRequest[] = [];
  const existing = new Set<string>();
  let answer: (request: SaveDialogRequest) => string | null = (r) => r.defaultPath;
  const caps: IpcCapabilities<Event> = {
    getAppInfo: () => ({ version: '0.1.0' }) as AppInfo,
    updater: null,
    async showSaveDialog(_event, request) {
      steps.push('dialog');
      dialogs.push(request);
      return answer(request);
    },
    async writeFile(path, content) {
      steps.push('write');
      written.set(path, content);
    },
    fileExists: async (path) => existing.has(path),
    async printToPdf(e, options: PdfOptions) {
      steps.push(`print:${e.name}:${options.pageSize}`);
      return new Uint8Array([0x25, 0x50, 0x44, 0x46]);
    },
    openExternal: async (url) => void steps.push(`open:${url}`),
    getServerSettings: () => ({ serverUrl: 'http://127.0.0.1:8787', source: 'default', savedServerUrl: null }),
    setServerUrl: async (url): Promise<SetServerResult> => ({
      serverUrl: url ?? 'http://127.0.0.1:8787',
      source: url ? 'settings' : 'default',
      savedServerUrl: url,
      needsReload: true,
    }),
    defaultSaveDir: DOCS,
    sessionKeychain: {
      status: async () => ({ isAvailable: false, backend: 'basic_text' }),
      load: async () => ({ status: 'none' }),
      save: async () => ({ stored: false, reason: 'unavailable' }),
      clear: async () => undefined,
    },
    ...overrides,
  };
  return {
    caps,
    steps,
    written,
    dialogs,
    existing,
    answerWith: (f: typeof answer) => {
      answer = f;
    },
  };
}

describe('dialog:save-file', () => {
  it('offers a sanitised name in Documents, writes the content and reports the size', async () => {
    const f = fakeCaps();
    const impl = createIpcImplementations(f.caps);
    const result = await impl['dialog:save-file'](
      { suggestedName: '观摩/排名:一览', filters: [{ name: 'CSV', extensions: ['csv'] }], content: '\uFEFF单位,得分\n' },
      event,
    );
    expect(f.dialogs[0]).toEqual({
      title: '保存文件',
      defaultPath: join(DOCS, '观摩_排名_一览.csv'),
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    expect(result).toEqual({ saved: true, path: join(DOCS, '观摩_排名_一览.csv'), bytes: 3 + 13 + 1 });
    expect(f.written.get(join(DOCS, '观摩_排名_一览.csv'))).toBe('\uFEFF单位,得分\n');
  });

  it('writes nothing when the user cancels', async () => {
    const f = fakeCaps();
    f.answerWith(() => null);
    const impl = createIpcImplementations(f.caps);
    expect(await impl['dialog:save-file']({ suggestedName: 'a.csv', filters: [], content: 'x' }, event)).toEqual({ saved: false });
    expect(f.written.size).toBe(0);
  });

  it('adds the missing extension unless that would replace an unasked-for file', async () => {
    const f = fakeCaps();
    const impl = createIpcImplementations(f.caps);
    const filters = [{ name: 'Excel', extensions: ['xlsx'] }];
    f.answerWith(() => '/data/排名');
    expect(await impl['dialog:save-file']({ suggestedName: 'x', filters, content: new Uint8Array(5) }, event)).toMatchObject({
      path: '/data/排名.xlsx',
      bytes: 5,
    });
    f.existing.add('/data/汇总.xlsx');
    f.answerWith(() => '/data/汇总');
    expect(await impl['dialog:save-file']({ suggestedName: 'x', filters, content: 'x' }, event)).toMatchObject({
      path: '/data/汇总',
    });
  });

  it('opens the next dialog where the last file was saved', async () => {
    const f = fakeCaps();
    const impl = createIpcImplementations(f.caps);
    f.answerWith(() => '/mnt/usb/a.csv');
    await impl['dialog:save-file']({ suggestedName: 'a.csv', filters: [], content: 'x' }, event);
    await impl['dialog:save-file']({ suggestedName: 'b.csv', filters: [], content: 'x' }, event);
    expect(f.dialogs[1]!.defaultPath).toBe(join('/mnt/usb', 'b.csv'));
  });

  it('reports write failures as io errors through the handler', async () => {
    const f = fakeCaps({
      writeFile: async () => {
        throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });
      },
    });
    const handler = createIpcHandler('dialog:save-file', createIpcImplementations(f.caps)['dialog:save-file'], () => undefined);
    expect(await handler(event, { suggestedName: 'a.xlsx', content: 'x' })).toEqual({
      ok: false,
      error: { code: 'io', message: 'the file is open in another program (EBUSY)' },
    });
  });
});

describe('print:to-pdf', () => {
  it('prints the sender first, then asks where to save, then writes', async () => {
    const f = fakeCaps();
    const impl = createIpcImplementations(f.caps);
    const result = await impl['print:to-pdf'](
      { suggestedName: '2021年观摩通报', pageSize: 'A4', landscape: false, printBackground: true, margins: 'default' },
      event,
    );
    expect(f.steps).toEqual(['print:main:A4', 'dialog', 'write']);
    expect(f.dialogs[0]).toMatchObject({
      title: '导出 PDF',
      defaultPath: join(DOCS, '2021年观摩通报.pdf'),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
    expect(result).toEqual({ saved: true, path: join(DOCS, '2021年观摩通报.pdf'), bytes: 4 });
  });

  it('maps the options to Electron printToPDF options (inches)', () => {
    const options = toPdfOptions({
      suggestedName: 'x',
      pageSize: 'A3',
      landscape: true,
      printBackground: false,
      margins: 'narrow',
      pageRanges: ' 1-3, 5 ',
    });
    expect(options).toMatchObject({ pageSize: 'A3', landscape: true, printBackground: false, pageRanges: '1-3,5' });
    expect(options.margins.top).toBeCloseTo(0.5 / 2.54, 6);
    expect(toPdfOptions({ suggestedName: 'x', pageSize: 'A4', landscape: false, printBackground: true, margins: 'none' }).margins).toEqual({
      top: 0,
      bottom: 0,
      left: 0,
      right: 0,
    });
  });
});

describe('shell:open-external', () => {
  it('opens safe links and refuses disguised ones', async () => {
    const f = fakeCaps();
    const handler = createIpcHandler('shell:open-external', createIpcImplementations(f.caps)['shell:open-external'], () => undefined);
    expect(await handler(event, { url: 'https://www.gov.cn/' })).toEqual({ ok: true, value: { opened: true } });
    // passes the schema (an http URL) but carries credentials: refused by policy
    expect(await handler(event, { url: 'https://www.gov.cn@evil.example/' })).toMatchObject({
      ok: false,
      error: { code: 'not-allowed' },
    });
    expect(f.steps).toEqual(['open:https://www.gov.cn/']);
  });
});

describe('settings', () => {
  it('forwards to the server settings', async () => {
    const impl = createIpcImplementations(fakeCaps().caps);
    expect(await impl['settings:set-server']({ serverUrl: 'https://a.cn', allowPlainHttp: false }, event)).toMatchObject({ needsReload: true });
    expect(await impl['settings:get-server']({}, event)).toMatchObject({ source: 'default' });
  });
});
