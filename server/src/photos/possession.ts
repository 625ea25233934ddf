/**
 * Possession challenges for photo bytes the server already holds (shared/sync/blob-protocol.ts):
 * a user who did not upload the bytes themselves proves they have them by hashing a random nonce
 * followed by a random range of the bytes, so that naming a hash (seen in a pulled photo record,
 * say) never gives access to the photo.
 *
 * A challenge is stateless: its token carries the range, the nonce and an expiry, sealed with an
 * HMAC over them and the user's id and the hash (key: server-secrets.ts, shared by every server
 * process on the database), so any process can check the answer and nobody can make up a
 * challenge of their own or answer one issued to someone else.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { CHALLENGE_RANGE_BYTES, type BlobChallenge, type BlobProofResponse } from '@shared/sync/blob-protocol';
import type { BlobStore } from '../blobs/blob-store.js';
import { claimedBy, recordClaim } from '../blobs/blob-claims.js';
import type { Database } from '../db/schema.js';
import { serverSecret } from '../db/server-secrets.js';

/** how long a challenge may be answered */
export const challengeLifetimeMs = 5 * 60 * 1000;

function mac(key: Buffer, userId: string, sha256: string, start: number, end: number, expires: number, nonce: string): string {
  return createHmac('sha256', key).update(`${userId}|${sha256}|${start}|${end}|${expires}|${nonce}`).digest('base64url');
}

/** The range to ask about: the whole file when small, else a random window. */
function pickRange(size: number): { start: number; end: number } {
  if (size <= CHALLENGE_RANGE_BYTES) return { start: 0, end: size };
  const start = randomInt(0, size - CHALLENGE_RANGE_BYTES + 1);
  return { start, end: start + CHALLENGE_RANGE_BYTES };
}

/** What the client must answer: sha256(nonce bytes ‖ bytes[start, end)) as lower-case hex. */
export function expectedProof(nonce: string, range: Uint8Array): string {
  return createHash('sha256').update(Buffer.from(nonce, 'hex')).update(range).digest('hex');
}

export interface ChallengeOutcome {
  held: string[];
  challenges: BlobChallenge[];
  missing: string[];
}

export async function issueChallenges(db: Kysely<Database>, blobs: BlobStore, userId: string, sha256s: readonly string[], now = Date.now()): Promise<ChallengeOutcome> {
  const unique = [...new Set(sha256s)];
  const key = await serverSecret(db, 'blob_challenge_key');
  const claimed = await claimedBy(db, userId, unique);
  const outcome: ChallengeOutcome = { held: [], challenges: [], missing: [] };
  for (const sha256 of unique) {
    const blob = await blobs.stat(sha256);
    if (!blob) {
      outcome.missing.push(sha256);
      continue;
    }
    if (claimed.has(sha256)) {
      outcome.held.push(sha256);
      continue;
    }
    const { start, end } = pickRange(blob.size);
    const expires = now + challengeLifetimeMs;
    const nonce = randomBytes(16).toString('hex');
    const token = `${start}.${end}.${expires}.${nonce}.${mac(key, userId, sha256, start, end, expires, nonce)}`;
    outcome.challenges.push({ sha256, nonce, start, end, token });
  }
  return outcome;
}

async function readRange(filePath: string, start: number, end: number): Promise<Buffer> {
  const file = await fs.open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await file.read(buffer, read, buffer.length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await file.close();
  }
}

export async function checkProofs(
  db: Kysely<Database>,
  blobs: BlobStore,
  userId: string,
  proofs: ReadonlyArray<{ sha256: string; token: string; proof: string }>,
  now = Date.now(),
): Promise<BlobProofResponse['results']> {
  const key = await serverSecret(db, 'blob_challenge_key');
  const results: BlobProofResponse['results'] = [];
  for (const { sha256, token, proof } of proofs) {
    const match = /^(\d{1,15})\.(\d{1,15})\.(\d{1,15})\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) {
      results.push({ sha256, status: 'wrong' });
      continue;
    }
    const [start, end, expires] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const nonce = match[4]!;
    const sealed = Buffer.from(match[5]!);
    const expected = Buffer.from(mac(key, userId, sha256, start, end, expires, nonce));
    if (sealed.length !== expected.length || !timingSafeEqual(sealed, expected)) {
      results.push({ sha256, status: 'wrong' });
      continue;
    }
    if (expires < now) {
      results.push({ sha256, status: 'expired' });
      continue;
    }
    const blob = await blobs.stat(sha256);
    if (!blob || end > blob.size || start > end) {
      results.push({ sha256, status: 'missing' });
      continue;
    }
    const answer = Buffer.from(expectedProof(nonce, await readRange(blob.path, start, end)));
    const given = Buffer.from(proof);
    if (given.length !== answer.length || !timingSafeEqual(given, answer)) {
      results.push({ sha256, status: 'wrong' });
      continue;
    }
    await recordClaim(db, { sha256, userId, tourId: null, size: blob.size, how: 'proven' }, new Date(now));
    // the client now drops its pending state and may push its record later: restart the grace period
    await blobs.keep(sha256);
    results.push({ sha256, status: 'proven' });
  }
  return results;
}
