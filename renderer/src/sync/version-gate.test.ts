/**
 * The app's side of the version gate: every request announces this build's protocol; a 426 from
 * the server and a server speaking too old a protocol both stop the request with a SyncError the
 * UI can word ("请更新到 x.y 后再同步" / ask the administrator), before any answer is used.
 */
import { describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION } from '@shared/sync/protocol-version';
import { APP_SYNC_PROTOCOL, protocolFromStamp } from './app-protocol';
import { request, SyncError, type HttpContext } from './sync-http';

function context(answer: (init: RequestInit) => Response, extra: Partial<HttpContext> = {}): HttpContext & { sent: Headers[] } {
  const sent: Headers[] = [];
  return {
    fetch: (async (_url: string, init: RequestInit) => {
      sent.push(new Headers(init.headers));
      return answer(init);
    }) as typeof fetch,
    baseUrl: 'http://server.test/',
    token: 'token',
    timeoutMs: 1000,
    sent,
    ...extra,
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', [SYNC_PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION), ...headers } });

describe('the version gate in the sync client', () => {
  it('announces this build’s protocol on every request', async () => {
    const ctx = context(() => json(200, { ok: true }));
    await request(ctx, 'GET', '/api/sync/pull');
    expect(ctx.sent[0]!.get(SYNC_PROTOCOL_HEADER)).toBe(String(APP_SYNC_PROTOCOL));
    expect(APP_SYNC_PROTOCOL).toBe(SYNC_PROTOCOL_VERSION);
  });

  it('turns a 426 into "update to x.y", with the version the server names', async () => {
    const ctx = context(() =>
      json(426, { error: 'app_update_required', message: 'update', appProtocol: 1, minProtocol: 2, serverProtocol: 2, minAppVersion: '0.2.0' }),
    );
    const error = await request(ctx, 'POST', '/api/sync/push', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ kind: 'updateRequired', status: 426, gate: { minAppVersion: '0.2.0' } });
    // a 426 without a readable body still says "update"
    const bare = await request(context(() => new Response('Upgrade Required', { status: 426 })), 'GET', '/api/sync/pull').catch((e: unknown) => e);
    expect(bare).toMatchObject({ kind: 'updateRequired', gate: {} });
  });

  it('stops at a server older than this app needs, even when it answers 200', async () => {
    const ctx = context(() => json(200, { changes: [] }, { [SYNC_PROTOCOL_HEADER]: '1' }), { minServerProtocol: 2 });
    const error = await request(ctx, 'GET', '/api/sync/pull').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'serverOutdated', gate: { serverProtocol: 1 } });
    // a server without the header predates the gate: protocol 1
    const legacy = await request(context(() => new Response('{}', { status: 200 }), { minServerProtocol: 2 }), 'GET', '/api/sync/pull').catch((e: unknown) => e);
    expect(legacy).toMatchObject({ kind: 'serverOutdated', gate: { serverProtocol: 1 } });
    // today's minimum accepts both
    await expect(request(context(() => new Response('{}', { status: 200 })), 'GET', '/api/sync/pull')).resolves.toBeInstanceOf(Response);
  });

  it('reads the build stamp, falling back to the shared constant', () => {
    expect(protocolFromStamp('guanmo-sync-protocol=1')).toBe(1);
    expect(protocolFromStamp(null)).toBe(SYNC_PROTOCOL_VERSION);
    expect(protocolFromStamp('other')).toBe(SYNC_PROTOCOL_VERSION);
  });
});
