/**
 * The name this laptop is listed under on the desk's "unsynced laptops" page: what the user
 * typed in Settings, else the system and the first characters of the device id (readable, and
 * told apart from the scorer's other laptop). The desk shows the signed-in user beside it.
 */
import type { GuanmoDb } from '../db/guanmo-db';
import { getMeta } from '../db/meta-repo';

export const MAX_DEVICE_NAME_LENGTH = 40;

function systemName(): string {
  const agent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '';
  if (/Windows/i.test(agent)) return 'Windows';
  if (/Mac OS X|Macintosh/i.test(agent)) return 'macOS';
  if (/UOS|Deepin/i.test(agent)) return 'UOS';
  if (/Kylin/i.test(agent)) return 'Kylin';
  if (/Linux/i.test(agent)) return 'Linux';
  return 'PC';
}

export function defaultDeviceName(clientId: string): string {
  return `${systemName()} · ${clientId.replace(/[^A-Za-z0-9]/g, '').slice(0, 4).toUpperCase()}`;
}

export async function readDeviceName(db: GuanmoDb, clientId: string): Promise<string> {
  const named = (await getMeta(db, 'deviceName'))?.trim();
  return named ? named : defaultDeviceName(clientId);
}

/** Saves the name typed in Settings (empty: back to the default). */
export async function saveDeviceName(db: GuanmoDb, name: string): Promise<void> {
  const trimmed = name.trim().slice(0, MAX_DEVICE_NAME_LENGTH);
  await db.transaction('rw', db.meta, async () => {
    if (trimmed) await db.meta.put({ key: 'deviceName', value: trimmed });
    else await db.meta.delete('deviceName');
  });
}
