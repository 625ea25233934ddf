/**
 * Pull cursors are sealed: encrypted (AES-256-GCM) with a fresh random IV every time, under a key
 * every server process on the database shares (db/server-secrets.ts).
 *
 * Why: a cursor is a position in the server-wide change log. As plain text (`0.4711`) a
 * scorer polling pull could watch it move and learn when anyone else writes, e.g. the moment
 * another scorer submits a sheet, while scoring is blind. Sealed, every answer carries a
 * different cursor whether or not anything happened, and a client can neither read nor forge one.
 * The server still walks past invisible changes (they are not replayed on every pull).
 *
 * Plain cursors that servers before this one issued are still accepted, so laptops keep their
 * place across the upgrade; every answer after that is sealed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeCursor, type ChangeCursor } from '../db/changes.js';

const prefix = 'c1.';

export function sealCursor(cursor: ChangeCursor, key: Buffer): string {
  const plain = Buffer.alloc(16);
  plain.writeBigUInt64BE(BigInt(cursor.tx), 0);
  plain.writeBigUInt64BE(BigInt(cursor.seq), 8);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return prefix + Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The cursor a sealed (or an older plain) text stands for; null when it is not one this server issued. */
export function unsealCursor(text: string, key: Buffer): ChangeCursor | null {
  if (!text.startsWith(prefix)) return decodeCursor(text);
  const raw = Buffer.from(text.slice(prefix.length), 'base64url');
  if (raw.length !== 12 + 16 + 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(28));
    const plain = Buffer.concat([decipher.update(raw.subarray(12, 28)), decipher.final()]);
    const seq = plain.readBigUInt64BE(8);
    if (seq > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    return { tx: plain.readBigUInt64BE(0).toString(), seq: Number(seq) };
  } catch {
    return null;
  }
}
