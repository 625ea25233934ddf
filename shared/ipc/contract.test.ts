import { describe, expect, it } from 'vitest';
import { IPC_CHANNEL_PATTERN, IPC_CHANNELS, isIpcChannel } from './channels';
import {
  ipcContract,
  MAX_SAVE_BYTES,
  openExternalArgsSchema,
  printToPdfArgsSchema,
  saveFileArgsSchema,
  saveFileResultSchema,
  setServerArgsSchema,
} from './contract';

describe('IPC channels', () => {
  it('are named domain:verb', () => {
    for (const channel of IPC_CHANNELS) expect(channel).toMatch(IPC_CHANNEL_PATTERN);
    expect('app:get-info').toMatch(IPC_CHANNEL_PATTERN);
    for (const bad of ['getInfo', 'app:', ':verb', 'App:get', 'app:get_info', 'app:get-', 'app:get:info']) {
      expect(bad).not.toMatch(IPC_CHANNEL_PATTERN);
    }
  });

  it('are exactly the keys of the contract, without duplicates', () => {
    expect(new Set(IPC_CHANNELS).size).toBe(IPC_CHANNELS.length);
    expect(Object.keys(ipcContract).sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('include the channels the app relies on', () => {
    for (const c of ['app:get-info', 'dialog:save-file', 'print:to-pdf', 'shell:open-external']) {
      expect(isIpcChannel(c)).toBe(true);
    }
    expect(isIpcChannel('app:eval')).toBe(false);
    expect(isIpcChannel(42)).toBe(false);
  });
});

describe('IPC argument schemas', () => {
  it('every channel takes an object and refuses unknown keys', () => {
    for (const [channel, spec] of Object.entries(ipcContract)) {
      expect(spec.args.safeParse(undefined).success, channel).toBe(false);
      expect(spec.args.safeParse('x').success, channel).toBe(false);
      expect(spec.args.safeParse({ __proto__: null, surprise: 1 }).success, channel).toBe(false);
    }
    expect(ipcContract['app:get-info'].args.safeParse({}).success).toBe(true);
  });

  it('dialog:save-file accepts text or bytes and fills defaults', () => {
    const text = saveFileArgsSchema.parse({ suggestedName: '排名.csv', content: '\uFEFF单位,得分\n' });
    expect(text.filters).toEqual([]);
    const bytes = saveFileArgsSchema.parse({
      suggestedName: '排名.xlsx',
      content: new Uint8Array([1, 2, 3]),
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
    });
    expect(bytes.content).toBeInstanceOf(Uint8Array);
  });

  it('dialog:save-file refuses bad names, filters and content', () => {
    const base = { suggestedName: 'a.csv', content: 'x' };
    expect(saveFileArgsSchema.safeParse({ ...base, suggestedName: '' }).success).toBe(false);
    expect(saveFileArgsSchema.safeParse({ ...base, suggestedName: 'a\u0000b' }).success).toBe(false);
    expect(saveFileArgsSchema.safeParse({ ...base, suggestedName: 'x'.repeat(201) }).success).toBe(false);
    expect(saveFileArgsSchema.safeParse({ ...base, content: 42 }).success).toBe(false);
    expect(saveFileArgsSchema.safeParse({ ...base, content: [1, 2] }).success).toBe(false);
    expect(
      saveFileArgsSchema.safeParse({ ...base, filters: [{ name: 'X', extensions: ['.csv'] }] }).success,
    ).toBe(false);
    expect(saveFileArgsSchema.safeParse({ ...base, filters: [{ name: 'X', extensions: [] }] }).success).toBe(false);
  });

  it('dialog:save-file caps the size of binary content', () => {
    // A view claiming more bytes than allowed, without allocating them.
    class Huge extends Uint8Array {
      override get byteLength() {
        return MAX_SAVE_BYTES + 1;
      }
    }
    expect(saveFileArgsSchema.safeParse({ suggestedName: 'a.bin', content: new Huge(0) }).success).toBe(false);
    expect(saveFileArgsSchema.safeParse({ suggestedName: 'a.bin', content: new Uint8Array(0) }).success).toBe(true);
  });

  it('print:to-pdf defaults to A4 portrait with backgrounds', () => {
    expect(printToPdfArgsSchema.parse({ suggestedName: '通报' })).toEqual({
      suggestedName: '通报',
      pageSize: 'A4',
      landscape: false,
      printBackground: true,
      margins: 'default',
    });
    expect(printToPdfArgsSchema.safeParse({ suggestedName: 'a', pageSize: 'B5' }).success).toBe(false);
    expect(printToPdfArgsSchema.safeParse({ suggestedName: 'a', pageRanges: '1-3, 5' }).success).toBe(true);
    expect(printToPdfArgsSchema.safeParse({ suggestedName: 'a', pageRanges: '1-3;rm' }).success).toBe(false);
  });

  it('shell:open-external takes http(s) URLs only', () => {
    expect(openExternalArgsSchema.safeParse({ url: 'https://www.gov.cn/' }).success).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url', '']) {
      expect(openExternalArgsSchema.safeParse({ url }).success, url).toBe(false);
    }
  });

  it('settings:set-server takes an http(s) URL or null', () => {
    expect(setServerArgsSchema.safeParse({ serverUrl: 'https://guanmo.example.cn' }).success).toBe(true);
    expect(setServerArgsSchema.safeParse({ serverUrl: null }).success).toBe(true);
    expect(setServerArgsSchema.safeParse({ serverUrl: 'ftp://x' }).success).toBe(false);
    expect(setServerArgsSchema.safeParse({}).success).toBe(false);
    expect(setServerArgsSchema.parse({ serverUrl: 'http://203.0.113.7' }).allowPlainHttp).toBe(false);
    expect(setServerArgsSchema.parse({ serverUrl: 'http://203.0.113.7', allowPlainHttp: true }).allowPlainHttp).toBe(true);
  });

  it('save results are either saved with a path or cancelled', () => {
    expect(saveFileResultSchema.safeParse({ saved: true, path: '/a.pdf', bytes: 10 }).success).toBe(true);
    expect(saveFileResultSchema.safeParse({ saved: false }).success).toBe(true);
    expect(saveFileResultSchema.safeParse({ saved: true }).success).toBe(false);
  });
});
