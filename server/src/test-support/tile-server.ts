/**
 * A local XYZ tile server for tests and benchmarks: every tile is a PNG with its z/x/y drawn on it,
 * roads and blocks of varying density (so tiles weigh what real ones do), and the sea as one
 * identical blank tile (so deduplication shows). Nothing leaves the machine.
 *
 * It records every request (path, User-Agent, arrival time) and can be told to fail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import { tileBounds } from '@shared/maps/tile-math';

export interface TileRequestLog {
  path: string;
  z: number;
  x: number;
  y: number;
  userAgent: string;
  /** performance.now() at arrival */
  at: number;
}

export interface TileServerOptions {
  /** tiles whose centre is sea (drawn as one identical blank tile); default none */
  isSea?: (lng: number, lat: number) => boolean;
  /** the PNG size to aim for at zoom z, bytes; default 5–25 KB falling with zoom */
  targetBytes?: (z: number) => number;
  /** the answer for a request, instead of the tile (e.g. 500, 403); null = the tile */
  failWith?: (z: number, x: number, y: number) => number | null;
  /** tiles answered 404 (outside coverage) */
  isMissing?: (z: number, x: number, y: number) => boolean;
}

export interface TileServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  /** XYZ template for a map source */
  template: string;
  requests: TileRequestLog[];
  options: TileServerOptions;
  close(): Promise<void>;
}

/** Real basemap tiles: busy at city zooms, sparse near street level. */
export function defaultTargetBytes(z: number): number {
  if (z <= 10) return 24_000;
  if (z <= 12) return 20_000;
  if (z <= 14) return 14_000;
  if (z <= 15) return 10_000;
  if (z <= 16) return 7_000;
  return 5_500;
}

export async function startTileServer(options: TileServerOptions = {}): Promise<TileServer> {
  const requests: TileRequestLog[] = [];
  const cache = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const match = /^\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.png$/.exec((req.url ?? '').split('?')[0]!);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const [z, x, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    requests.push({ path: req.url ?? '', z, x, y, userAgent: String(req.headers['user-agent'] ?? ''), at: performance.now() });
    const failure = server.options.failWith?.(z, x, y) ?? null;
    if (failure !== null) {
      res.writeHead(failure, { 'content-type': 'text/plain' }).end(`error ${failure}`);
      return;
    }
    if (x >= 2 ** z || y >= 2 ** z || server.options.isMissing?.(z, x, y)) {
      res.writeHead(404).end();
      return;
    }
    const key = `${z}/${x}/${y}`;
    let png = cache.get(key);
    if (!png) {
      png = drawTile(z, x, y, server.options);
      if (cache.size < 50_000) cache.set(key, png);
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
  }) as http.Server & { options: TileServerOptions };
  server.options = options;
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    template: `${origin}/{z}/{x}/{y}.png`,
    requests,
    get options() {
      return server.options;
    },
    set options(next: TileServerOptions) {
      server.options = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SIZE = 256;

/** The tile z/x/y as a PNG. */
export function drawTile(z: number, x: number, y: number, options: TileServerOptions = {}): Buffer {
  const [west, south, east, north] = tileBounds(z, x, y);
  if (options.isSea?.((west + east) / 2, (south + north) / 2)) return seaTile();
  const random = mulberry32(((z * 73_856_093) ^ (x * 19_349_663) ^ (y * 83_492_791)) >>> 0);
  const pixels = new Uint8Array(SIZE * SIZE * 3);
  const fill = (x0: number, y0: number, w: number, h: number, [r, g, b]: readonly number[]) => {
    for (let yy = Math.max(0, y0); yy < Math.min(SIZE, y0 + h); yy++) {
      for (let xx = Math.max(0, x0); xx < Math.min(SIZE, x0 + w); xx++) {
        const i = (yy * SIZE + xx) * 3;
        pixels[i] = r!;
        pixels[i + 1] = g!;
        pixels[i + 2] = b!;
      }
    }
  };
  fill(0, 0, SIZE, SIZE, [242, 239, 233]);
  // blocks and buildings: their number sets the PNG's weight
  const target = (options.targetBytes ?? defaultTargetBytes)(z);
  const blocks = Math.round(Math.max(0, target - 2_000) / 2.2);
  const colours = [
    [217, 208, 201],
    [200, 215, 171],
    [224, 223, 223],
    [255, 241, 186],
    [205, 235, 176],
  ];
  for (let i = 0; i < blocks; i++) {
    const w = 1 + Math.floor(random() * 4);
    const h = 1 + Math.floor(random() * 4);
    fill(Math.floor(random() * SIZE), Math.floor(random() * SIZE), w, h, colours[Math.floor(random() * colours.length)]!);
  }
  // roads
  for (let i = 0; i < 3; i++) {
    const at = Math.floor(random() * (SIZE - 6));
    fill(at, 0, 5, SIZE, [255, 255, 255]);
    fill(0, Math.floor(random() * (SIZE - 6)), SIZE, 5, [252, 214, 164]);
  }
  // the tile's address, large enough to read in a screenshot
  drawText(pixels, `${z}/${x}/${y}`, 8, 8, 3, [60, 60, 60]);
  fill(0, 0, SIZE, 1, [180, 180, 180]);
  fill(0, 0, 1, SIZE, [180, 180, 180]);
  return encodePng(pixels, SIZE, SIZE);
}

let sea: Buffer | null = null;
function seaTile(): Buffer {
  if (!sea) {
    const pixels = new Uint8Array(SIZE * SIZE * 3);
    for (let i = 0; i < pixels.length; i += 3) {
      pixels[i] = 170;
      pixels[i + 1] = 211;
      pixels[i + 2] = 223;
    }
    sea = encodePng(pixels, SIZE, SIZE);
  }
  return sea;
}

// 3×5 digits and the slash
const glyphs: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '010', '010', '010'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '/': ['001', '001', '010', '100', '100'],
};

function drawText(pixels: Uint8Array, text: string, left: number, top: number, scale: number, [r, g, b]: readonly number[]): void {
  let cursor = left;
  for (const ch of text) {
    const glyph = glyphs[ch];
    if (glyph) {
      glyph.forEach((row, gy) => {
        [...row].forEach((bit, gx) => {
          if (bit !== '1') return;
          for (let dy = 0; dy < scale; dy++) {
            for (let dx = 0; dx < scale; dx++) {
              const px = cursor + gx * scale + dx;
              const py = top + gy * scale + dy;
              if (px < SIZE && py < SIZE) {
                const i = (py * SIZE + px) * 3;
                pixels[i] = r!;
                pixels[i + 1] = g!;
                pixels[i + 2] = b!;
              }
            }
          }
        });
      });
    }
    cursor += 4 * scale;
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG. */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let row = 0; row < height; row++) {
    raw[row * (width * 3 + 1)] = 0; // filter: none
    raw.set(rgb.subarray(row * width * 3, (row + 1) * width * 3), row * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))]);
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
