/**
 * Random keys the server keeps in its database (server_state), the same for every server process
 * on one database: the key that signs photo possession challenges, the one that seals pull
 * cursors. Made on first use (the first process to insert wins; every process then reads that
 * one) and kept in memory per database afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type SecretName = 'blob_challenge_key' | 'cursor_key' | 'carry_key';

const cache = new WeakMap<Kysely<Database>, Map<SecretName, Promise<Buffer>>>();

export function serverSecret(db: Kysely<Database>, name: SecretName): Promise<Buffer> {
  let secrets = cache.get(db);
  if (!secrets) cache.set(db, (secrets = new Map()));
  let secret = secrets.get(name);
  if (!secret) {
    secret = loadOrCreate(db, name);
    secrets.set(name, secret);
    secret.catch(() => secrets!.delete(name)); // a failed read is tried again next time
  }
  return secret;
}

async function loadOrCreate(db: Kysely<Database>, name: SecretName): Promise<Buffer> {
  const key = `secret:${name}`;
  const at = new Date().toISOString();
  await db
    .insertInto('server_state')
    .values({ key, value: randomBytes(32).toString('base64'), updated_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('server_state').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  const secret = Buffer.from(row.value, 'base64');
  if (secret.length < 32) throw new Error(`server secret ${name} is malformed`);
  return secret;
}
