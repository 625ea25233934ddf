/**
 * The user's key for `.guanmo` files (features/carry/carry-file.ts says why the server derives
 * it): fetched once per user and device while online (GET /api/carry/key, from the sync round),
 * kept in `meta.carryKeys`, so that export and import work with no network afterwards.
 */
import { carryKeyResponseSchema } from '@shared/sync/carry-protocol';
import type { CarryKeyEntry } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { getMeta } from '../db/meta-repo';
import { requestJson, type HttpContext } from './sync-http';

export async function getCarryKey(db: GuanmoDb, userId: string, keyId?: string): Promise<CarryKeyEntry | null> {
  const keys = (await getMeta(db, 'carryKeys')) ?? [];
  return keys.find((k) => k.userId === userId && (keyId === undefined || k.keyId === keyId)) ?? null;
}

export async function saveCarryKey(db: GuanmoDb, entry: CarryKeyEntry): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const keys = ((await getMeta(db, 'carryKeys')) ?? []).filter((k) => !(k.userId === entry.userId && k.keyId === entry.keyId));
    await db.meta.put({ key: 'carryKeys', value: [...keys, entry] });
  });
}

/** Fetches and keeps the signed-in user's key unless this device has it already. */
export async function ensureCarryKey(db: GuanmoDb, http: HttpContext, userId: string, now: () => number = Date.now): Promise<CarryKeyEntry> {
  const kept = await getCarryKey(db, userId);
  if (kept) return kept;
  const answer = await requestJson(http, 'GET', '/api/carry/key', carryKeyResponseSchema);
  const entry: CarryKeyEntry = { userId: answer.userId, keyId: answer.keyId, key: answer.key, serverUrl: http.baseUrl, savedAt: new Date(now()).toISOString() };
  await saveCarryKey(db, entry);
  return entry;
}
