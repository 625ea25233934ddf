/**
 * Fetches one tile from a source's upstream server, for the tile proxy and for pack builds.
 *
 * What must stay true:
 * - The upstream URL (it carries the 天地图 key) never appears in an error message, a log line or
 *   an answer: errors name the source and the HTTP status only.
 * - Only images are accepted (PNG, JPEG, WebP by their first bytes): 天地图 answers a wrong key with
 *   XML, some servers answer errors with HTML pages under status 200.
 * - Every request names Guanmo and the organisation in its User-Agent.
 */
import { sniffImage, type StoredImageMime } from '@shared/photos/sniff-image';
import type { ConfiguredSource } from './map-sources.js';

export interface TileImage {
  bytes: Uint8Array;
  mime: StoredImageMime;
}

/** A tile, or `none`: the upstream has no tile there (404, 204: outside its coverage). */
export type UpstreamAnswer = { kind: 'tile'; tile: TileImage } | { kind: 'none' };

export type UpstreamFailure =
  /** the key or the permission is refused (401, 403): stop, retrying will not help */
  | 'refused'
  /** slow down (429) */
  | 'rate_limited'
  /** the upstream is down or erring (5xx, network, timeout): may be retried */
  | 'unavailable'
  /** it answered something that is no tile image */
  | 'not_an_image';

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly messageZh: string,
    readonly upstreamStatus: number | null,
    /** from Retry-After of a 429/503, ms */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get isRetryable(): boolean {
    return this.failure === 'unavailable' || this.failure === 'rate_limited';
  }
}

/** Largest tile accepted from upstream: a 256×256 tile is at most a few hundred KB. */
export const MAX_TILE_BYTES = 2 * 1024 * 1024;

export interface UpstreamOptions {
  userAgent: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export async function fetchUpstreamTile(source: ConfiguredSource, z: number, x: number, y: number, options: UpstreamOptions): Promise<UpstreamAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 20_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const doFetch = options.fetch ?? globalThis.fetch;
  const name = `${source.name} (${source.id})`;
  let response: Response;
  try {
    response = await doFetch(source.tileUrl(z, x, y), {
      headers: { ...source.headers, 'user-agent': options.userAgent, accept: 'image/png,image/jpeg,image/webp,image/*;q=0.8' },
      signal,
      redirect: 'follow',
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    const isTimeout = timeout.aborted;
    throw new UpstreamError(
      'unavailable',
      isTimeout ? `The map server of ${name} did not answer in time` : `The map server of ${name} cannot be reached`,
      isTimeout ? `地图服务「${source.name}」响应超时` : `无法连接地图服务「${source.name}」`,
      null,
    );
  }
  const status = response.status;
  if (status === 404 || status === 204) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'none' };
  }
  if (status === 401 || status === 403) {
    await response.body?.cancel().catch(() => {});
    throw new UpstreamError(
      'refused',
      `The map server of ${name} refused the request (HTTP ${status}): check the key and the permission the organisation holds`,
      `地图服务「${source.name}」拒绝了请求（HTTP ${status}）：请检查密钥和本单位的使用许可`,
      status,
    );
  }
  if (status === 429) {
    await response.body?.cancel().catch(() => {});
    throw new UpstreamError('rate_limited', `The map server of ${name} asks to slow down (HTTP 429)`, `地图服务「${source.name}」要求放慢请求（HTTP 429）`, status, retryAfterMs(response));
  }
  if (status < 200 || status >= 300) {
    await response.body?.cancel().catch(() => {});
    throw new UpstreamError('unavailable', `The map server of ${name} answered HTTP ${status}`, `地图服务「${source.name}」出错（HTTP ${status}）`, status, retryAfterMs(response));
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_TILE_BYTES) {
    await response.body?.cancel().catch(() => {});
    throw new UpstreamError('not_an_image', `The map server of ${name} sent a tile larger than ${MAX_TILE_BYTES} bytes`, `地图服务「${source.name}」返回的瓦片过大`, status);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw new UpstreamError('unavailable', `The map server of ${name} broke off the tile`, `地图服务「${source.name}」的瓦片传输中断`, status);
  }
  if (bytes.length === 0) return { kind: 'none' };
  if (bytes.length > MAX_TILE_BYTES) throw new UpstreamError('not_an_image', `The map server of ${name} sent a tile larger than ${MAX_TILE_BYTES} bytes`, `地图服务「${source.name}」返回的瓦片过大`, status);
  const sniffed = sniffImage(bytes.subarray(0, 32));
  if (sniffed.kind !== 'supported') {
    throw new UpstreamError(
      'not_an_image',
      `The map server of ${name} answered something that is not a tile image (a wrong key or layer?)`,
      `地图服务「${source.name}」返回的不是瓦片图像（密钥或图层配置有误？）`,
      status,
    );
  }
  return { kind: 'tile', tile: { bytes, mime: sniffed.mime } };
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Math.min(Number(value.trim()) * 1000, 10 * 60_000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - Date.now()), 10 * 60_000);
}
