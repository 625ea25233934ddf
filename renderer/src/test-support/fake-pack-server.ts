/**
 * The maps API of the sync server as a `fetch` function, for unit tests of the pack download:
 * GET /api/tours/:id/tile-pack (the pack's description) and …/tile-pack/file (its bytes, with
 * single byte ranges and the ETag "<sha256>"), plus knobs to break it the ways networks and
 * servers break: cut the body after some bytes, flip a byte, serve another build's ETag, ignore
 * ranges. It records every request.
 */
import type { TilePack } from '@shared/maps/pack-protocol';
import { sha256Hex } from '@shared/photos/sha256';

export interface FakePackServer {
  fetch: typeof fetch;
  requests: { url: string; range: string | null }[];
  /** cut the next file answer after this many body bytes (then the connection "drops") */
  cutNextAfter: number | null;
  /** flip a byte of every file answer */
  corrupt: boolean;
  /** answer with this ETag instead of the pack's */
  etag: string | null;
  /** answer 200 with the whole file even to a Range request */
  ignoreRanges: boolean;
}

export function packDescription(tourId: string, bytes: Uint8Array, overrides: Partial<TilePack> = {}): TilePack {
  return {
    tourId,
    sourceId: 'test-xyz',
    coordSystem: 'wgs84',
    attribution: '测试底图',
    sha256: sha256Hex(bytes),
    size: bytes.length,
    tileType: 'png',
    minZoom: 0,
    maxZoom: 18,
    bounds: [115, 36, 117, 37],
    tileCount: 1,
    builtAt: '2021-11-20T08:00:00.000Z',
    ...overrides,
  };
}

/** `packs`: tour id → the pack file's bytes and description (null: the tour has no pack). */
export function fakePackServer(packs: Map<string, { bytes: Uint8Array; pack: TilePack } | null>): FakePackServer {
  const server: FakePackServer = {
    requests: [],
    cutNextAfter: null,
    corrupt: false,
    etag: null,
    ignoreRanges: false,
    fetch: async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const headers = new Headers(init?.headers);
      server.requests.push({ url: url.pathname, range: headers.get('range') });
      if (headers.get('authorization') !== 'Bearer token') return new Response('{"error":"unauthorized"}', { status: 401 });
      const match = /^\/api\/tours\/([^/]+)\/tile-pack(\/file)?$/.exec(url.pathname);
      if (!match) return new Response('{"error":"not_found"}', { status: 404 });
      const entry = packs.get(decodeURIComponent(match[1]!));
      if (entry === undefined) return new Response('{"error":"not_found"}', { status: 404 });
      if (!match[2]) return Response.json({ pack: entry?.pack ?? null, build: null });
      if (!entry) return new Response('{"error":"no_pack"}', { status: 404 });
      let body = entry.bytes;
      if (server.corrupt) {
        body = body.slice();
        body[Math.floor(body.length / 2)]! ^= 0xff;
      }
      const range = /^bytes=(\d+)-$/.exec(headers.get('range') ?? '');
      const start = range && !server.ignoreRanges ? Number(range[1]) : 0;
      const part = body.subarray(start);
      const cutAfter = server.cutNextAfter;
      server.cutNextAfter = null;
      // one piece per pull: an error must come after the bytes before it were read (erroring a
      // stream drops what is still queued)
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (cutAfter !== null && sent >= cutAfter) return controller.error(new TypeError('network error'));
          if (sent >= part.length) return controller.close();
          const end = Math.min(part.length, sent + 700, cutAfter ?? Infinity);
          controller.enqueue(part.slice(sent, end));
          sent = end;
        },
      });
      const responseHeaders: Record<string, string> = { etag: `"${server.etag ?? entry.pack.sha256}"`, 'content-type': 'application/vnd.pmtiles' };
      if (range && !server.ignoreRanges) responseHeaders['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
      return new Response(stream, { status: range && !server.ignoreRanges ? 206 : 200, headers: responseHeaders });
    },
  };
  return server;
}
