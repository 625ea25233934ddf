/**
 * electron-updater's HTTP executor with downloads that resume. electron-updater deletes a
 * half-downloaded installer when the connection drops and starts from byte 0 next time; on a
 * hotel's or a county office's weak link a 100 MB installer might then never arrive. Here the
 * bytes received so far are kept in a partial file named after the sha512 the feed promises, and
 * the next attempt asks the sync server for the rest (`Range: bytes=N-`, served by
 * server/src/updates/update-routes.ts). The whole file is then checked against that sha512
 * before electron-updater sees it.
 *
 * What must stay true:
 * - Nothing reaches `destination` unless its sha512 equals the feed's: a tampered or corrupted
 *   file is deleted (partial too) and refused with ERR_CHECKSUM_MISMATCH, as electron-updater's
 *   own executor does.
 * - A partial file is only ever continued for the same sha512 (its name), so bytes of two
 *   different installers are never spliced; a server that answers 200 to a Range request (file
 *   replaced, If-Range failed) restarts the file from zero.
 * - No Electron import: requests go through the injected `open` (Electron's net in the app,
 *   node:http in tests).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { RequestOptions } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpExecutor, newError, type DownloadOptions } from 'builder-util-runtime';

/** The part of a response both node:http and Electron's net give. */
export interface ResponseLike {
  readonly statusCode?: number;
  readonly headers: Record<string, string | string[] | undefined>;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'aborted', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface RequestLike {
  abort: () => void;
  end: (data?: Buffer) => void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type OpenRequest = (options: RequestOptions, onResponse: (response: ResponseLike) => void) => RequestLike;

/** A download stalls out after this long without a byte (then it resumes on the next attempt). */
const stallMs = 60_000;

export class ResumableHttpExecutor extends HttpExecutor<RequestLike> {
  constructor(
    private readonly open: OpenRequest,
    /** where partial downloads wait for their next attempt */
    private readonly partialDir: string,
  ) {
    super();
  }

  createRequest(options: RequestOptions, callback: (response: ResponseLike) => void): RequestLike {
    return this.open(options, callback);
  }

  /** The partial file of the installer with this sha512 (base64 or hex, as feeds carry it). */
  partialFileFor(sha512: string): string {
    const id = createHash('sha256').update(sha512).digest('hex').slice(0, 32);
    return path.join(this.partialDir, `${id}.part`);
  }

  async download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    const expected = options.sha512;
    // every feed `guanmo-server updates publish` writes has one; without it nothing could be verified
    if (!expected) throw newError(`no sha512 for ${url.href} in the update feed: refusing an unverifiable download`, 'ERR_UPDATER_NO_CHECKSUM');
    await fs.mkdir(this.partialDir, { recursive: true });
    const partial = this.partialFileFor(expected);
    const have = (await fs.stat(partial).catch(() => null))?.size ?? 0;
    await this.fetchInto(url, partial, have, options);
    const actual = await sha512Of(partial, expected);
    if (actual !== expected) {
      await fs.rm(partial, { force: true });
      throw newError(`sha512 checksum mismatch, expected ${expected}, got: ${actual}`, 'ERR_CHECKSUM_MISMATCH');
    }
    await fs.mkdir(path.dirname(destination), { recursive: true });
    await fs.rm(destination, { force: true });
    await fs.rename(partial, destination).catch(async () => {
      await fs.copyFile(partial, destination);
      await fs.rm(partial, { force: true });
    });
    return destination;
  }

  /** Appends the rest of the file (from byte `have`) to `partial`; rejects when cut, keeping what arrived. */
  private fetchInto(url: URL, partial: string, have: number, options: DownloadOptions): Promise<void> {
    return options.cancellationToken.createPromise<void>((resolve, reject, onCancel) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.headers ?? {})) if (typeof value === 'string') headers[name] = value;
      if (have > 0) headers.range = `bytes=${have}-`;
      const requestOptions: RequestOptions = {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        ...(url.port ? { port: Number(url.port) } : {}),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { ...headers, 'cache-control': 'no-cache' },
      };
      let isSettled = false;
      let watchdog: ReturnType<typeof setTimeout> | null = null;
      let request: RequestLike | null = null;
      let out: ReturnType<typeof createWriteStream> | null = null;
      const settle = (error: Error | null) => {
        if (isSettled) return;
        isSettled = true;
        if (watchdog) clearTimeout(watchdog);
        const done = () => (error ? reject(error) : resolve());
        if (out) out.end(done);
        else done();
      };
      const stall = () => {
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          request?.abort();
          settle(newError(`no data from ${url.href} for ${stallMs / 1000} s`, 'ERR_UPDATER_STALLED'));
        }, stallMs);
      };
      onCancel(() => {
        request?.abort();
        settle(new Error('cancelled'));
      });
      request = this.open(requestOptions, (response) => {
        const status = response.statusCode ?? 0;
        const total = totalSize(response, status);
        if (status === 416 && have > 0) {
          // already complete (or longer than the file: the checksum decides)
          settle(null);
          return;
        }
        if (status !== 200 && status !== 206) {
          settle(newError(`${url.href}: the server answered ${status}`, 'HTTP_ERROR_' + status));
          return;
        }
        const isContinuing = status === 206 && contentRangeStart(response) === have;
        if (status === 206 && !isContinuing) {
          settle(newError(`${url.href}: the server sent another range than asked`, 'ERR_UPDATER_BAD_RANGE'));
          return;
        }
        let received = isContinuing ? have : 0;
        out = createWriteStream(partial, { flags: isContinuing ? 'a' : 'w' });
        out.on('error', (error) => settle(error));
        const started = Date.now();
        stall();
        response.on('data', (chunk: Buffer) => {
          stall();
          out!.write(chunk);
          received += chunk.length;
          if (options.onProgress && total !== null) {
            const seconds = Math.max(0.001, (Date.now() - started) / 1000);
            options.onProgress({ total, transferred: received, delta: chunk.length, percent: (received / total) * 100, bytesPerSecond: Math.round((received - (isContinuing ? have : 0)) / seconds) });
          }
        });
        response.on('end', () => settle(total !== null && received < total ? newError(`${url.href}: the connection closed after ${received} of ${total} bytes`, 'ERR_UPDATER_CUT') : null));
        response.on('aborted', () => settle(newError(`${url.href}: the connection was cut after ${received} bytes`, 'ERR_UPDATER_CUT')));
        response.on('error', (error) => settle(error));
      });
      request.on('error', (error) => settle(error));
      stall();
      request.end();
    });
  }
}

function header(response: ResponseLike, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function contentRangeStart(response: ResponseLike): number | null {
  const match = /^bytes (\d+)-\d+\/\d+$/.exec(header(response, 'content-range') ?? '');
  return match ? Number(match[1]) : null;
}

/** The size of the whole file: from Content-Range of a 206, Content-Length of a 200; null when unknown. */
function totalSize(response: ResponseLike, status: number): number | null {
  if (status === 206) {
    const match = /\/(\d+)$/.exec(header(response, 'content-range') ?? '');
    return match ? Number(match[1]) : null;
  }
  const text = header(response, 'content-length');
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

/** sha512 of a file in the encoding of `like` (feeds carry base64; hex when 128 hex digits). */
async function sha512Of(file: string, like: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  const isHex = like.length === 128 && /^[0-9a-f]+$/i.test(like);
  return hash.digest(isHex ? 'hex' : 'base64');
}
