/**
 * Watches the client→server bytes of HTTP/1.1 connections (as the byte-counting proxy sees them)
 * and records every request: method, target, headers, and how many body bytes actually went
 * out. The sync bench uses it to find tus PATCH requests and their Upload-Offset, so it can tell
 * which photo bytes crossed the wire more than once after a cut.
 *
 * It only observes: bytes are never changed or held back. Requests may be split across TCP
 * segments anywhere (even inside a header line) and several may follow each other on one
 * keep-alive connection. Bodies are delimited by Content-Length or chunked transfer encoding;
 * a request with neither has no body (RFC 9112 § 6.3). Anything it cannot parse (e.g. an
 * upgrade to another protocol) stops the parsing of that connection only, and is counted.
 */

export interface ObservedRequest {
  connectionId: number;
  method: string;
  /** the request target, e.g. /api/uploads/abc */
  target: string;
  /** lower-case names; repeated headers joined with ", " */
  headers: Record<string, string>;
  /** Content-Length, or null for chunked bodies */
  declaredBodyBytes: number | null;
  /** body bytes that crossed the wire (chunked: payload bytes, without the chunk framing) */
  bodyBytes: number;
  /** the whole body went through (false: the connection ended mid-body, e.g. cut) */
  isComplete: boolean;
}

const maxHeadBytes = 64 * 1024;

type BodyState =
  | { kind: 'length'; remaining: number }
  | { kind: 'chunk-size'; line: string }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-data-end'; seen: number }
  | { kind: 'trailers'; line: string };

interface ConnectionState {
  id: number;
  head: Buffer;
  request: ObservedRequest | null;
  body: BodyState | null;
  isBroken: boolean;
}

export class HttpRequestTap {
  readonly requests: ObservedRequest[] = [];
  /** connections whose bytes were not HTTP/1.1 as expected (parsing stopped there) */
  unparsedConnections = 0;
  private readonly connections = new Map<number, ConnectionState>();

  /** Feeds bytes the client sent on a connection, in order. */
  feed(connectionId: number, chunk: Uint8Array): void {
    let state = this.connections.get(connectionId);
    if (!state) {
      state = { id: connectionId, head: Buffer.alloc(0), request: null, body: null, isBroken: false };
      this.connections.set(connectionId, state);
    }
    if (state.isBroken) return;
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (data.length > 0 && !state.isBroken) {
      data = state.body ? this.consumeBody(state, data) : this.consumeHead(state, data);
    }
  }

  /** The connection closed (or was cut): an unfinished request stays recorded as incomplete. */
  end(connectionId: number): void {
    this.connections.delete(connectionId);
  }

  private consumeHead(state: ConnectionState, data: Buffer): Buffer {
    const previous = state.head.length;
    state.head = previous === 0 ? data : Buffer.concat([state.head, data]);
    // a CRLF CRLF may straddle the previous segment and this one
    const end = state.head.indexOf('\r\n\r\n', Math.max(0, previous - 3));
    if (end < 0) {
      if (state.head.length > maxHeadBytes) this.breakConnection(state);
      return Buffer.alloc(0);
    }
    const head = state.head.subarray(0, end).toString('latin1');
    const rest = state.head.subarray(end + 4);
    state.head = Buffer.alloc(0);
    // tolerate empty lines between requests (RFC 9112 § 2.2)
    const lines = head.replace(/^(\r\n)+/, '').split('\r\n');
    const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
    if (!match) {
      this.breakConnection(state);
      return Buffer.alloc(0);
    }
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const isChunked = /(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '');
    const length = headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
    if (!isChunked && (!Number.isSafeInteger(length) || length < 0)) {
      this.breakConnection(state);
      return Buffer.alloc(0);
    }
    const request: ObservedRequest = {
      connectionId: state.id,
      method: match[1]!,
      target: match[2]!,
      headers,
      declaredBodyBytes: isChunked ? null : length,
      bodyBytes: 0,
      isComplete: !isChunked && length === 0,
    };
    this.requests.push(request);
    if (headers.upgrade !== undefined || request.method === 'CONNECT') {
      // whatever follows is not HTTP/1.1 requests any more
      this.breakConnection(state, false);
      return Buffer.alloc(0);
    }
    if (request.isComplete) return rest;
    state.request = request;
    state.body = isChunked ? { kind: 'chunk-size', line: '' } : { kind: 'length', remaining: length };
    return rest;
  }

  private consumeBody(state: ConnectionState, data: Buffer): Buffer {
    const request = state.request!;
    const body = state.body!;
    const finish = (rest: Buffer): Buffer => {
      request.isComplete = true;
      state.request = null;
      state.body = null;
      return rest;
    };
    switch (body.kind) {
      case 'length': {
        const take = Math.min(body.remaining, data.length);
        request.bodyBytes += take;
        body.remaining -= take;
        return body.remaining === 0 ? finish(data.subarray(take)) : Buffer.alloc(0);
      }
      case 'chunk-data': {
        const take = Math.min(body.remaining, data.length);
        request.bodyBytes += take;
        body.remaining -= take;
        if (body.remaining === 0) state.body = { kind: 'chunk-data-end', seen: 0 };
        return data.subarray(take);
      }
      case 'chunk-data-end': {
        // the CRLF after a chunk's data
        let i = 0;
        while (i < data.length && body.seen < 2) {
          body.seen++;
          i++;
        }
        if (body.seen === 2) state.body = { kind: 'chunk-size', line: '' };
        return data.subarray(i);
      }
      case 'chunk-size':
      case 'trailers': {
        const newline = data.indexOf('\n');
        const part = data.subarray(0, newline < 0 ? data.length : newline).toString('latin1');
        body.line += part;
        if (body.line.length > maxHeadBytes) {
          this.breakConnection(state);
          return Buffer.alloc(0);
        }
        if (newline < 0) return Buffer.alloc(0);
        const line = body.line.replace(/\r$/, '');
        body.line = '';
        const rest = data.subarray(newline + 1);
        if (body.kind === 'trailers') return line === '' ? finish(rest) : rest;
        const size = Number.parseInt(line.split(';')[0]!.trim(), 16);
        if (!Number.isSafeInteger(size) || size < 0) {
          this.breakConnection(state);
          return Buffer.alloc(0);
        }
        state.body = size === 0 ? { kind: 'trailers', line: '' } : { kind: 'chunk-data', remaining: size };
        return rest;
      }
    }
  }

  private breakConnection(state: ConnectionState, isUnparsed = true): void {
    state.isBroken = true;
    state.head = Buffer.alloc(0);
    if (isUnparsed) this.unparsedConnections++;
  }
}

/** One tus PATCH: which upload, from which offset, how many bytes went out. */
export interface PatchAttempt {
  /** the upload's path (without query) */
  upload: string;
  offset: number;
  bytes: number;
  isComplete: boolean;
}

/**
 * The tus requests that carried upload bytes, in the order sent: PATCHes (X-HTTP-Method-Override
 * POSTs included) and, with `withCreations`, creating POSTs with a body (creation-with-upload:
 * the first chunk rides in the POST). The upload a creating POST makes is named by the server's
 * answer, which the tap does not see: such an attempt counts as its own upload `POST #n`, at
 * offset 0 (its bytes are still counted; only overlaps with later PATCHes go unseen).
 */
export function tusPatches(requests: readonly ObservedRequest[], uploadsPath: string, { withCreations = false } = {}): PatchAttempt[] {
  const patches: PatchAttempt[] = [];
  for (const [index, request] of requests.entries()) {
    const method = request.method === 'POST' ? (request.headers['x-http-method-override'] ?? 'POST').toUpperCase() : request.method;
    if (withCreations && method === 'POST' && request.target.split('?')[0] === uploadsPath && (request.declaredBodyBytes ?? request.bodyBytes) > 0) {
      patches.push({ upload: `POST #${index}`, offset: 0, bytes: request.bodyBytes, isComplete: request.isComplete });
      continue;
    }
    if (method !== 'PATCH') continue;
    const upload = request.target.split('?')[0]!;
    if (!upload.startsWith(`${uploadsPath}/`)) continue;
    const offset = Number(request.headers['upload-offset']);
    if (!Number.isSafeInteger(offset)) continue;
    patches.push({ upload, offset, bytes: request.bodyBytes, isComplete: request.isComplete });
  }
  return patches;
}

export interface ResendSummary {
  /** PATCH body bytes that went out */
  bytesSent: number;
  /** distinct upload bytes covered (per upload, the union of the byte ranges sent) */
  bytesCovered: number;
  /** bytes that went out more than once (bytesSent − bytesCovered) */
  bytesResent: number;
  /** PATCH requests that started at an offset already sent to before on the same upload */
  patchesRepeated: number;
  patches: number;
}

/**
 * How many upload bytes crossed the wire more than once. Per upload, overlapping ranges
 * [offset, offset + bytes) are bytes sent again. A photo uploaded again under a new upload (a
 * new POST) is not seen as overlapping here: compare bytesCovered with the photo bytes for that.
 */
export function summariseResends(patches: readonly PatchAttempt[]): ResendSummary {
  const byUpload = new Map<string, Array<[number, number]>>();
  let bytesSent = 0;
  let patchesRepeated = 0;
  for (const patch of patches) {
    bytesSent += patch.bytes;
    const ranges = byUpload.get(patch.upload) ?? [];
    if (ranges.some(([start, end]) => patch.offset >= start && patch.offset < end)) patchesRepeated++;
    if (patch.bytes > 0) ranges.push([patch.offset, patch.offset + patch.bytes]);
    byUpload.set(patch.upload, ranges);
  }
  let bytesCovered = 0;
  for (const ranges of byUpload.values()) {
    ranges.sort((a, b) => a[0] - b[0]);
    let end = -1;
    for (const [s, e] of ranges) {
      const start = Math.max(s, end);
      if (e > start) bytesCovered += e - start;
      end = Math.max(end, e);
    }
  }
  return { bytesSent, bytesCovered, bytesResent: bytesSent - bytesCovered, patchesRepeated, patches: patches.length };
}

/** What happened to the upload(s) a cut interrupted, for the bench's explanation of re-sent bytes. */
export interface CutUpload {
  upload: string;
  /** offset and bytes sent by the PATCH that was cut */
  offset: number;
  bytesBeforeCut: number;
  /** later PATCHes that started again at the cut PATCH's offset (e.g. the browser re-sending the request by itself) */
  repeatedBytes: number;
  /** where the upload went on afterwards, at an offset of its own (the server's, from HEAD); null if it never did */
  resumedAt: number | null;
}

/** The uploads with an incomplete PATCH, and how each went on (patches in the order sent). */
export function describeCutUploads(patches: readonly PatchAttempt[]): CutUpload[] {
  const cutUploads: CutUpload[] = [];
  patches.forEach((patch, i) => {
    if (patch.isComplete) return;
    const later = patches.slice(i + 1).filter((p) => p.upload === patch.upload);
    const repeats = later.filter((p) => p.offset === patch.offset);
    const resumed = later.find((p) => p.offset !== patch.offset);
    cutUploads.push({
      upload: patch.upload,
      offset: patch.offset,
      bytesBeforeCut: patch.bytes,
      repeatedBytes: repeats.reduce((sum, p) => sum + p.bytes, 0),
      resumedAt: resumed ? resumed.offset : null,
    });
  });
  return cutUploads;
}
