/**
 * Settings → 导出未同步的工作: everything this laptop has not synced (sync/unsynced-work.ts),
 * sealed to the signed-in user (carry-file.ts) as one `.guanmo` file. Reads only: the outbox
 * stays as it is, so the laptop still syncs its work itself if it ever comes back online (the
 * server answers `duplicate` for whatever the other laptop pushed first).
 */
import type { GuanmoDb } from '../../db/guanmo-db';
import { ensureClientId } from '../../db/meta-repo';
import { newId } from '../../lib/new-id';
import { getCarryKey } from '../../sync/carry-keys';
import { readDeviceName } from '../../sync/device-name';
import { getSession } from '../../sync/session-store';
import { readUnsyncedWork } from '../../sync/unsynced-work';
import { CARRY_FILE_EXTENSION, sealCarryFile } from './carry-file';
import { summarizePayload, type CarryPayload } from './carry-payload';

export type ExportFailure = 'signedOut' | 'noKey' | 'nothingToExport';

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(readonly failure: ExportFailure) {
    super(failure);
  }
}

export interface ExportedFile {
  bytes: Uint8Array<ArrayBuffer>;
  fileName: string;
  summary: ReturnType<typeof summarizePayload>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** e.g. 观摩未同步-评委甲-20261203-1410.guanmo (local time: what the user sees on the clock) */
export function carryFileName(displayName: string, at: Date): string {
  const who = displayName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '').trim().slice(0, 30) || 'user';
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}`;
  return `观摩未同步-${who}-${stamp}.${CARRY_FILE_EXTENSION}`;
}

export async function exportUnsynced(db: GuanmoDb, now: () => Date = () => new Date()): Promise<ExportedFile> {
  const session = await getSession(db);
  if (!session) throw new ExportError('signedOut');
  const key = await getCarryKey(db, session.user.id);
  if (!key) throw new ExportError('noKey');
  const work = await readUnsyncedWork(db);
  if (work.entries.length === 0 && work.bytes.length === 0) throw new ExportError('nothingToExport');

  const blobs: Uint8Array[] = [];
  let offset = 0;
  const place = (bytes: Uint8Array) => {
    const span = { offset, size: bytes.byteLength };
    blobs.push(bytes);
    offset += bytes.byteLength;
    return span;
  };
  const payloadBlobs: CarryPayload['blobs'] = [];
  for (const b of work.bytes) {
    payloadBlobs.push({ sha256: b.sha256, type: b.blob.type, tourId: b.tourId, photoId: b.photoId, ...place(new Uint8Array(await b.blob.arrayBuffer())) });
  }
  const previews: CarryPayload['previews'] = [];
  for (const p of work.previews) {
    previews.push({
      sha256: p.sha256,
      thumb: place(new Uint8Array(await p.thumb.arrayBuffer())),
      display: p.display ? place(new Uint8Array(await p.display.arrayBuffer())) : null,
      ...(p.thumbSha256 ? { thumbSha256: p.thumbSha256 } : {}),
    });
  }
  const payload: CarryPayload = {
    entries: work.entries.map(({ seq: _seq, ...entry }) => entry),
    records: work.records,
    blobs: payloadBlobs,
    previews,
    tours: work.tours,
  };
  const clientId = await ensureClientId(db);
  const at = now();
  const bytes = await sealCarryFile({
    header: {
      exportId: newId(),
      user: { id: session.user.id, username: session.user.username, displayName: session.user.displayName },
      keyId: key.keyId,
      exportedAt: at.toISOString(),
      fromDevice: { clientId, name: await readDeviceName(db, clientId) },
    },
    key: key.key,
    json: payload,
    blobs,
  });
  return { bytes, fileName: carryFileName(session.user.displayName, at), summary: summarizePayload(payload) };
}
