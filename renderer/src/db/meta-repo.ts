import { newId } from '../lib/new-id';
import type { MetaKey, MetaValues } from './entities';
import type { GuanmoDb } from './guanmo-db';

export async function getMeta<K extends MetaKey>(db: GuanmoDb, key: K): Promise<MetaValues[K] | undefined> {
  const entry = await db.meta.get(key);
  return entry?.value as MetaValues[K] | undefined;
}

/**
 * This device's sync id, created on first start. Check and create run in one `rw` transaction,
 * so two tabs starting at once still end up with a single id.
 */
export function ensureClientId(db: GuanmoDb): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await getMeta(db, 'clientId');
    if (existing) return existing;
    const clientId = newId();
    await db.meta.put({ key: 'clientId', value: clientId });
    return clientId;
  });
}
