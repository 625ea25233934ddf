/**
 * Photo bytes for the gallery and the viewer: `usePhotoBytes(sha256)`.
 *
 *   const bytes = usePhotoBytes(photo.sha256);            // reads the local copy
 *   const bytes = usePhotoBytes(photo.sha256, { download: true }); // the viewer: fetch if missing
 *   bytes.status: 'loading' | 'local' | 'downloading' | 'missing' | 'pending' | 'offline' | 'error'
 *   bytes.blob:   the original when status is 'local'
 *   bytes.retry() fetches again after 'offline' or 'error' (done by itself when the connection returns)
 *
 * Photos of other users arrive by pull as metadata; their thumbnails follow in the background
 * (thumbnail-download.ts) and the original is downloaded here, on demand, when the viewer opens
 * the photo (GET /api/blobs/:sha256 with the bearer token). It is kept in photoBlobs
 * (uploadState 'confirmed': the server has it), after which it is local like any other.
 * 'pending': the author has not uploaded the bytes yet (the server answers 404 photo_pending);
 * 'offline': the server cannot be reached; 'missing': not signed in, or no such photo.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useState } from 'react';
import { useDb } from '../db/db-context';
import type { GuanmoDb } from '../db/guanmo-db';
import { getSession } from './session-store';
import { apiUrl } from './sync-http';
import { protocolHeaders } from './version-gate';

export type PhotoBytesStatus = 'loading' | 'local' | 'downloading' | 'missing' | 'pending' | 'offline' | 'error';

export interface PhotoBytes {
  status: PhotoBytesStatus;
  blob: Blob | null;
  /** fetch again (after 'offline' or 'error'); does nothing otherwise */
  retry: () => void;
}

/** Downloads and stores a photo's bytes. Resolves the new status. */
export async function downloadPhotoBytes(
  db: GuanmoDb,
  sha256: string,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
  timeoutMs = 60_000,
): Promise<'local' | 'pending' | 'missing' | 'offline' | 'error'> {
  if (await db.photoBlobs.get(sha256)) return 'local';
  const session = await getSession(db);
  if (!session || session.isExpired) return 'missing';
  let response: Response;
  let blob: Blob;
  try {
    response = await fetchFn(apiUrl(session.serverUrl, `/api/blobs/${sha256}`), {
      headers: { ...protocolHeaders(), authorization: `Bearer ${session.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 404) {
      const body = (await response.json().catch(() => null)) as { error?: string } | null;
      return body?.error === 'photo_pending' ? 'pending' : 'missing';
    }
    if (!response.ok) return 'error';
    blob = await response.blob();
  } catch {
    // no answer, or the connection dropped mid-photo: the network, not the server
    return 'offline';
  }
  await db.transaction('rw', db.photoBlobs, async () => {
    if (!(await db.photoBlobs.get(sha256))) await db.photoBlobs.put({ sha256, blob, uploadState: 'confirmed' });
  });
  return 'local';
}

const noRetry = () => {};

export function usePhotoBytes(sha256: string | null, options: { download?: boolean } = {}): PhotoBytes {
  const db = useDb();
  const stored = useLiveQuery(async () => (sha256 ? ((await db.photoBlobs.get(sha256)) ?? null) : null), [db, sha256]);
  const [remote, setRemote] = useState<{ sha256: string; status: PhotoBytesStatus } | null>(null);
  const [attempt, setAttempt] = useState(0);
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
  }, [db, sha256, shouldDownload, attempt]);

  const remoteStatus = remote?.sha256 === sha256 ? remote.status : null;
  const canRetry = shouldDownload && (remoteStatus === 'offline' || remoteStatus === 'error' || remoteStatus === 'pending');
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  // the connection is back: try again by itself
  useEffect(() => {
    if (!canRetry) return;
    globalThis.addEventListener?.('online', retry);
    return () => globalThis.removeEventListener?.('online', retry);
  }, [canRetry, retry]);

  if (sha256 === null) return { status: 'missing', blob: null, retry: noRetry };
  if (stored === undefined) return { status: 'loading', blob: null, retry: noRetry };
  if (stored) return { status: 'local', blob: stored.blob, retry: noRetry };
  if (remoteStatus !== null && remoteStatus !== 'local') return { status: remoteStatus, blob: null, retry: canRetry ? retry : noRetry };
  return { status: shouldDownload ? 'downloading' : 'missing', blob: null, retry: noRetry };
}
