/**
 * The key a user's `.guanmo` files are encrypted with (shared/sync/carry-protocol.ts says why a
 * server-derived key): HMAC-SHA256 of the user's id under the server's `carry_key` secret (kept
 * in the database, the same for every server process). The same user gets the same key on every
 * laptop and after every password change; another user's key opens none of their files.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CARRY_KEY_ID, type CarryKeyResponse } from '@shared/sync/carry-protocol';
import type { Database } from '../db/schema.js';
import { serverSecret } from '../db/server-secrets.js';

export async function carryKeyFor(db: Kysely<Database>, userId: string): Promise<CarryKeyResponse> {
  const secret = await serverSecret(db, 'carry_key');
  const key = createHmac('sha256', secret).update(`guanmo-carry:${CARRY_KEY_ID}:${userId}`).digest('base64');
  return { userId, keyId: CARRY_KEY_ID, key };
}
