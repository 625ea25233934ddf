/**
 * A local tile server for tests (GET /{z}/{x}/{y}.png → drawTilePng): what the pack is built
 * from, standing in for the organisation's own XYZ server. It counts the requests it answered, so
 * a test can show that nothing asked it for a tile after it should have been forgotten.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { drawTilePng } from './tile-png';

export interface TileServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startTileServer(): Promise<TileServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    const match = /^\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(request.url ?? '');
    if (!match) {
      response.writeHead(404).end();
      return;
    }
    const png = drawTilePng(Number(match[1]), Number(match[2]), Number(match[3]));
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length, 'cache-control': 'no-store' }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
