/**
 * Photo bytes for the gallery and the viewer: `usePhotoBytes(sha256)`.
 *
 *   const bytes = usePhotoBytes(photo.sha256);            // reads the local copy
 *   const bytes = usePhotoBytes(photo.sha256, { download: true }); // the viewer: fetch if missing
 *   bytes.status: 'loading' | 'local' | 'downloading' | 'missing' | 'pending' | 'error'
 *   bytes.blob:   the original when status is 'local'
 *
 * Photos of other users arrive by pull as metadata only. The server keeps no thumbnails, so the
 * viewer downloads the full original on demand (GET /api/blobs/:sha256 with the bearer token)
 * and keeps it in photoBlobs (uploadState 'confirmed': the server has it), after which it is
 * local like any other. A gallery shows "照片未下载" for 'missing' and "照片待同步" for 'pending'
 * (the author has not uploaded the bytes yet: the server answers 404 photo_pending).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useDb } from '../db/db-context';
import type { GuanmoDb } from '../db/guanmo-db';
import { getSession } from './session-store';
import { apiUrl } from './sync-http';

export type PhotoBytesStatus = 'loading' | 'local' | 'downloading' | 'missing' | 'pending' | 'error';

export interface PhotoBytes {
  status: PhotoBytesStatus;
  blob: Blob | null;
}

/** Downloads and stores a photo's bytes. Resolves the new status. */
export async function downloadPhotoBytes(db: GuanmoDb, sha256: string, fetchFn: typeof fetch = globalThis.fetch.bind(globalThis), timeoutMs = 60_000): Promise<'local' | 'pending' | 'missing' | 'error'> {
  if (await db.photoBlobs.get(sha256)) return 'local';
  const session = await getSession(db);
  if (!session || session.isExpired) return 'missing';
  let response: Response;
  try {
    response = await fetchFn(apiUrl(session.serverUrl, `/api/blobs/${sha256}`), {
      headers: { authorization: `Bearer ${session.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return 'error';
  }
  if (response.status === 404) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    return body?.error === 'photo_pending' ? 'pending' : 'missing';
  }
  if (!response.ok) return 'error';
  const blob = await response.blob();
  await db.transaction('rw', db.photoBlobs, async () => {
    if (!(await db.photoBlobs.get(sha256))) await db.photoBlobs.put({ sha256, blob, uploadState: 'confirmed' });
  });
  return 'local';
}

export function usePhotoBytes(sha256: string | null, options: { download?: boolean } = {}): PhotoBytes {
  const db = useDb();
  const stored = useLiveQuery(async () => (sha256 ? ((await db.photoBlobs.get(sha256)) ?? null) : null), [db, sha256]);
  const [remote, setRemote] = useState<{ sha256: string; status: PhotoBytesStatus } | null>(null);
  const shouldDownload = options.download === true && sha256 !== null && stored === null;

  useEffect(() => {
    if (!shouldDownload || !sha256) return;
    let isCurrent = true;
    setRemote({ sha256, status: 'downloading' });
    downloadPhotoBytes(db, sha256).then(
      (status) => isCurrent && setRemote({ sha256, status }),
      () => isCurrent && setRemote({ sha256, status: 'error' }),
    );
    return () => {
      isCurrent = false;
    };
  }, [db, sha256, shouldDownload]);

  if (sha256 === null) return { status: 'missing', blob: null };
  if (stored === undefined) return { status: 'loading', blob: null };
  if (stored) return { status: 'local', blob: stored.blob };
  if (remote?.sha256 === sha256 && remote.status !== 'local') return { status: remote.status, blob: null };
  return { status: shouldDownload ? 'downloading' : 'missing', blob: null };
}
