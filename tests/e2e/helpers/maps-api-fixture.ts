/**
 * The maps API a sync server offers (shared/maps/pack-protocol.ts), served by the test for its own
 * packs while the real routes are not on this branch: GET /api/maps/sources, GET
 * /api/maps/tiles/:sourceId/:z/:x/:y (proxied to the test's tile server), GET
 * /api/tours/:tourId/tile-pack and …/file (single byte ranges, ETag "<sha256>"). Registered
 * through startServer's `configure`, only where the server has no such route of its own.
 * Every request it answers is recorded.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MapSourcesResponse, TilePack, TilePackStatus } from '@shared/maps/pack-protocol';
import { requireUser } from '../../../server/src/auth/require-user';

export interface MapsApiFixture {
  packs: Map<string, { bytes: Uint8Array; pack: TilePack }>;
  /** live tiles for the proxy; null: no online source */
  tileServerUrl: string | null;
  requests: string[];
  configure(app: FastifyInstance): void;
}

export function mapsApiFixture(tileServerUrl: string | null): MapsApiFixture {
  const fixture: MapsApiFixture = {
    packs: new Map(),
    tileServerUrl,
    requests: [],
    configure(app) {
      const route = (url: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
        if (!app.hasRoute({ method: 'GET', url })) app.get(url, handler);
      };
      route('/api/maps/sources', async (request) => {
        await requireUser(request);
        fixture.requests.push(request.url);
        const answer: MapSourcesResponse = {
          sources: [{ id: 'test-xyz', name: '测试底图', attribution: '测试底图（本机绘制）', coordSystem: 'wgs84', minZoom: 0, maxZoom: 18, online: fixture.tileServerUrl !== null, packs: true }],
          defaultSourceId: 'test-xyz',
        };
        return answer;
      });
      route('/api/maps/tiles/:sourceId/:z/:x/:y', async (request, reply) => {
        await requireUser(request);
        fixture.requests.push(request.url);
        const { z, x, y } = request.params as Record<string, string>;
        if (!fixture.tileServerUrl) return reply.code(404).send({ error: 'not_found', message: 'no online source' });
        const upstream = await fetch(`${fixture.tileServerUrl}/${z}/${x}/${y}.png`).catch(() => null);
        if (!upstream?.ok) return reply.code(502).send({ error: 'upstream', message: 'the tile server did not answer' });
        return reply.type('image/png').send(Buffer.from(await upstream.arrayBuffer()));
      });
      route('/api/tours/:tourId/tile-pack', async (request) => {
        await requireUser(request);
        fixture.requests.push(request.url);
        const entry = fixture.packs.get((request.params as { tourId: string }).tourId);
        const status: TilePackStatus = { pack: entry?.pack ?? null, build: null };
        return status;
      });
      route('/api/tours/:tourId/tile-pack/file', async (request, reply) => {
        await requireUser(request);
        fixture.requests.push(request.url);
        const entry = fixture.packs.get((request.params as { tourId: string }).tourId);
        if (!entry) return reply.code(404).send({ error: 'not_found', message: 'no pack' });
        const size = entry.bytes.length;
        reply.header('etag', `"${entry.pack.sha256}"`).header('accept-ranges', 'bytes').type('application/vnd.pmtiles');
        const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
        if (!range) return reply.send(Buffer.from(entry.bytes));
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
        if (start >= size) return reply.code(416).header('content-range', `bytes */${size}`).send();
        return reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`).send(Buffer.from(entry.bytes.subarray(start, end + 1)));
      });
    },
  };
  return fixture;
}
