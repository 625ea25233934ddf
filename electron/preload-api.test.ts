import { IPC_CHANNELS } from '@shared/ipc/channels';
import { describe, expect, it } from 'vitest';
import { createGuanmoApi, type IpcInvoke } from './preload-api';

function recordingApi() {
  const calls: Array<[string, unknown]> = [];
  const invoke = (async (channel: string, args: unknown) => {
    calls.push([channel, args]);
    return { ok: true, value: null };
  }) as IpcInvoke;
  return { api: createGuanmoApi(invoke), calls };
}

describe('window.guanmo (preload API)', () => {
  it('maps each method to its one channel', async () => {
    const { api, calls } = recordingApi();
    await api.getAppInfo();
    await api.saveFile({ suggestedName: 'a.csv', content: 'x' });
    await api.printToPdf({ suggestedName: '通报', landscape: true });
    await api.openExternal('https://www.gov.cn/');
    await api.getServerSettings();
    await api.setServerUrl(null);
    expect(calls).toEqual([
      ['app:get-info', {}],
      ['dialog:save-file', { suggestedName: 'a.csv', content: 'x' }],
      ['print:to-pdf', { suggestedName: '通报', landscape: true }],
      ['shell:open-external', { url: 'https://www.gov.cn/' }],
      ['settings:get-server', {}],
      ['settings:set-server', { serverUrl: null }],
    ]);
  });

  it('covers every channel and exposes nothing but methods and the version', () => {
    const { api, calls } = recordingApi();
    expect(api.apiVersion).toBe(1);
    const methods = Object.entries(api).filter(([, value]) => typeof value === 'function');
    expect(Object.keys(api).length).toBe(methods.length + 1);
    for (const [, method] of methods) void (method as (...args: unknown[]) => unknown)({});
    expect(new Set(calls.map(([channel]) => channel))).toEqual(new Set(IPC_CHANNELS));
    expect(Object.isFrozen(api)).toBe(true);
  });
});
