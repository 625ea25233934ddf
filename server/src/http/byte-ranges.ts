/**
 * Files served by byte range (photo bytes, tour packs): single `bytes=` ranges, If-Range and
 * If-None-Match against a strong ETag, so that an interrupted download resumes where it stopped.
 */
import { createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';

/** Sends bytes start…end (inclusive) of a file; `onClose` runs when the stream is done or aborted. */
export function sendFileRange(reply: FastifyReply, filePath: string, range: { start: number; end: number }, onClose?: () => void): FastifyReply {
  reply.header('content-length', String(range.end - range.start + 1));
  const stream = createReadStream(filePath, range);
  if (onClose) stream.once('close', onClose);
  return reply.send(stream);
}

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/**
 * One `bytes=` range (RFC 9110 §14): `a-b`, `a-`, `-n`. null = serve the whole file (no Range, a
 * stale If-Range, or several ranges, which a server may ignore).
 */
export function parseRange(
  header: string | undefined,
  size: number,
  ifRange?: string | string[],
  etag?: string,
): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  if (typeof ifRange === 'string' && ifRange !== etag) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return null; // invalid: ignore
  }
  if (start >= size || size === 0) return 'unsatisfiable';
  return { start, end };
}
