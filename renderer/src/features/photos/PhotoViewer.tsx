import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PhotoMeta, Stop } from '@shared/domain/schemas';
import { distanceM, usableLatLng } from '@shared/photos/geo';
import { useDb } from '../../db/db-context';
import { deletePhoto, getOriginal, getPreviews, setCaption, setCover } from '../../db/photos-repo';
import { describeStorageError } from '../../db/storage-safety';
import type { Translate } from '../../i18n/catalogs';
import { useI18n } from '../../i18n/use-t';
import { makeMissingDisplay } from './make-missing-previews';
import { formatDistance, formatLatLng, formatTakenAt } from './photo-messages';
import { getPhotoWorkerPool } from './photo-worker-pool';
import { displayLongSide } from './preview-sizes';
import { usePhotoBytes, type PhotoBytesStatus } from '../../sync/use-photo-bytes';
import { useObjectUrls } from './use-object-urls';

/**
 * Full-size viewer of a stop's photos: ←/→ to move, Esc to close; caption, time, place, cover
 * and delete beside the photo. Shows the display-sized copy (fast to decode); the original is
 * there to save. The photos of the neighbours are loaded ahead so moving feels instant.
 * Another user's photo whose original is not on this device shows its thumbnail at once and the
 * original when it has been downloaded (only the photo shown is fetched, never its neighbours),
 * with what is happening in words: loading, offline (retried when the connection returns),
 * not uploaded by its author yet.
 */
export function PhotoViewer({
  photos,
  index,
  stop,
  onIndexChange,
  onClose,
}: {
  photos: readonly PhotoMeta[];
  index: number;
  stop: Stop | null;
  onIndexChange: (index: number) => void;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const photo = photos[index];
  // photos of other users arrive by sync without bytes: the original is fetched when opened here
  const bytes = usePhotoBytes(photo?.sha256 ?? null, { download: true });
  const viewerImages = useViewerImages(photos, index, bytes.status);
  // the original of another user's photo has just arrived: make its display copy for next time
  const db = useDb();
  const needsDisplay =
    bytes.status === 'local' && photo !== undefined && Math.max(photo.width, photo.height) > displayLongSide && viewerImages?.originalsShown.has(photo.sha256) === true;
  useEffect(() => {
    if (needsDisplay && photo) void makeMissingDisplay(db, getPhotoWorkerPool(), photo);
  }, [db, needsDisplay, photo]);
  const imageUrls = useObjectUrls(viewerImages?.images);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);

  // the photo list changed under the viewer (deleted here or by sync): stay in range, or close
  useEffect(() => {
    if (photos.length === 0) onClose();
    else if (index >= photos.length) onIndexChange(photos.length - 1);
  }, [photos.length, index, onClose, onIndexChange]);

  if (!photo) return null;
  const hasPrevious = index > 0;
  const hasNext = index < photos.length - 1;

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    const target = event.target as HTMLElement;
    // arrows move the caret in the caption field, not the photo
    if (target.closest('input, textarea, select')) return;
    if (event.key === 'ArrowLeft' && hasPrevious) {
      event.preventDefault();
      onIndexChange(index - 1);
    } else if (event.key === 'ArrowRight' && hasNext) {
      event.preventDefault();
      onIndexChange(index + 1);
    }
  }

  const isThumbnail = viewerImages?.thumbnailsOnly.has(photo.sha256) === true;
  const url = imageUrls.get(isThumbnail ? thumbnailKey(photo.sha256) : photo.sha256);
  const byteStatus = url && !isThumbnail ? null : originalStatusText(t, bytes.status);
  const at = usableLatLng(photo.lat, photo.lng);
  const stopAt = stop ? usableLatLng(stop.lat, stop.lng) : null;
  const label = photo.caption || t('photos.photoNumber', { index: index + 1 });

  return (
    <dialog
      ref={dialogRef}
      className="photo-viewer"
      aria-label={t('photos.viewer')}
      data-testid="photo-viewer"
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        // Esc: close through React state, so the dialog and the state never disagree
        event.preventDefault();
        onClose();
      }}
    >
      <div className="photo-viewer__stage">
        {url ? (
          <img
            className={`photo-viewer__image${isThumbnail ? ' photo-viewer__image--thumbnail' : ''}`}
            src={url}
            alt={label}
            data-testid="photo-viewer-image"
            data-quality={isThumbnail ? 'thumbnail' : 'full'}
          />
        ) : (
          !byteStatus && <p className="photo-viewer__pending">{t('photos.pendingBytes')}</p>
        )}
        {byteStatus && (
          <div className={`photo-viewer__status photo-viewer__status--${byteStatus.tone}`} role="status" data-testid="photo-viewer-status" data-status={bytes.status}>
            <span>{byteStatus.text}</span>
            {(bytes.status === 'offline' || bytes.status === 'error' || bytes.status === 'pending') && (
              <button type="button" className="button button--small" onClick={bytes.retry}>
                {t('photos.original.retry')}
              </button>
            )}
          </div>
        )}
        <button type="button" className="photo-viewer__nav photo-viewer__nav--previous" onClick={() => onIndexChange(index - 1)} disabled={!hasPrevious} aria-label={t('photos.previous')}>
          ‹
        </button>
        <button type="button" className="photo-viewer__nav photo-viewer__nav--next" onClick={() => onIndexChange(index + 1)} disabled={!hasNext} aria-label={t('photos.next')}>
          ›
        </button>
      </div>
      <aside className="photo-viewer__side">
        <header className="photo-viewer__header">
          <p className="photo-viewer__position" data-testid="photo-viewer-position">
            {t('photos.viewerPosition', { index: index + 1, total: photos.length })}
          </p>
          <button type="button" className="button button--small" onClick={onClose}>
            {t('photos.close')}
          </button>
        </header>
        <CaptionEditor key={photo.id} photo={photo} />
        <dl className="photo-viewer__facts">
          <div>
            <dt>{t('photos.takenAt')}</dt>
            <dd data-testid="photo-viewer-time">{photo.takenAt ? formatTakenAt(photo.takenAt, locale) : t('photos.takenAtUnknown')}</dd>
          </div>
          <div>
            <dt>{t('photos.location')}</dt>
            <dd data-testid="photo-viewer-location">
              {at ? (
                <>
                  <span className="mono">{formatLatLng(at.lat, at.lng)}</span>
                  {stopAt && <span className="photo-viewer__distance">{t('photos.distanceToStop', { distance: formatDistance(t, distanceM(at, stopAt), locale) })}</span>}
                </>
              ) : (
                t('photos.locationUnknown')
              )}
            </dd>
          </div>
          <div>
            <dt>{t('photos.size')}</dt>
            <dd>
              {photo.width} × {photo.height}
            </dd>
          </div>
        </dl>
        <PhotoActions key={`actions-${photo.id}`} photo={photo} />
      </aside>
    </dialog>
  );
}

/** What the viewer says about an original that is not shown (yet); null: nothing to say. */
function originalStatusText(t: Translate, status: PhotoBytesStatus): { text: string; tone: 'progress' | 'warning' } | null {
  switch (status) {
    case 'loading':
    case 'downloading':
      return { text: t('photos.original.loading'), tone: 'progress' };
    case 'offline':
      return { text: t('photos.original.offline'), tone: 'warning' };
    case 'pending':
      return { text: t('photos.original.pending'), tone: 'warning' };
    case 'error':
      return { text: t('photos.original.error'), tone: 'warning' };
    case 'missing':
      return { text: t('photos.original.missing'), tone: 'warning' };
    case 'local':
      return null;
  }
}

/**
 * The key of a thumbnail shown in place of its photo: not the sha256 itself, because object URLs
 * are kept per key (useObjectUrls) and the original must get a URL of its own once it is here.
 */
const thumbnailKey = (sha256: string) => `thumbnail:${sha256}`;

interface ViewerImages {
  /** per sha256: the display copy or the original; per thumbnailKey(sha256): the thumbnail, when that is all there is */
  images: ReadonlyMap<string, Blob>;
  /** the sha256s for which only the thumbnail is on this device */
  thumbnailsOnly: ReadonlySet<string>;
  /** the sha256s shown by their original (no display copy) */
  originalsShown: ReadonlySet<string>;
}

/** Display copies (or originals, when small; or thumbnails, until more is here) of the photo and its two neighbours. */
function useViewerImages(photos: readonly PhotoMeta[], index: number, bytesStatus: string): ViewerImages | undefined {
  const db = useDb();
  const [images, setImages] = useState<ViewerImages>();
  const wanted = [photos[index], photos[index + 1], photos[index - 1]].filter((p): p is PhotoMeta => p !== undefined).map((p) => p.sha256);
  const key = wanted.join(',');
  useEffect(() => {
    let isCurrent = true;
    void (async () => {
      const shas = key.split(',').filter(Boolean);
      const previews = await getPreviews(db, shas);
      const next = new Map<string, Blob>();
      const thumbnailsOnly = new Set<string>();
      const originalsShown = new Set<string>();
      for (const sha of shas) {
        const preview = previews.get(sha);
        const original = preview?.display ? null : (await getOriginal(db, sha))?.blob;
        const display = preview?.display ?? original;
        if (original) originalsShown.add(sha);
        if (display) next.set(sha, display);
        else if (preview) {
          next.set(thumbnailKey(sha), preview.thumb);
          thumbnailsOnly.add(sha);
        }
      }
      if (isCurrent) setImages({ images: next, thumbnailsOnly, originalsShown });
    })();
    return () => {
      isCurrent = false;
    };
  }, [db, key, bytesStatus]);
  return images;
}

function CaptionEditor({ photo }: { photo: PhotoMeta }) {
  const { t } = useI18n();
  const db = useDb();
  const [text, setText] = useState(photo.caption);
  const [status, setStatus] = useState<'idle' | 'saved' | { error: string }>('idle');
  const isChanged = text.trim() !== photo.caption;

  // closing the viewer (Esc) or moving on unmounts the field without a blur: keep what was typed
  const pending = useRef({ text, caption: photo.caption });
  pending.current = { text, caption: photo.caption };
  useEffect(
    () => () => {
      const { text: typed, caption } = pending.current;
      if (typed.trim() !== caption) void setCaption(db, photo.id, typed).catch((error: unknown) => console.warn('caption not saved', error));
    },
    [db, photo.id],
  );

  async function save() {
    if (!isChanged) return;
    try {
      await setCaption(db, photo.id, text);
      setStatus('saved');
    } catch (error) {
      setStatus({ error: t(describeStorageError(error).messageKey) });
    }
  }

  return (
    <form
      className="photo-viewer__caption"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label htmlFor={`caption-${photo.id}`}>{t('photos.caption')}</label>
      <div className="photo-viewer__caption-row">
        <input
          id={`caption-${photo.id}`}
          type="text"
          value={text}
          maxLength={500}
          placeholder={t('photos.captionPlaceholder')}
          data-testid="photo-caption-input"
          onChange={(event) => {
            setText(event.target.value);
            setStatus('idle');
          }}
          // leaving the field keeps what was typed: nothing typed is ever lost
          onBlur={() => void save()}
        />
        <button type="submit" className="button button--small" disabled={!isChanged}>
          {t('photos.captionSave')}
        </button>
      </div>
      <p className="photo-viewer__caption-status" role="status">
        {status === 'saved' ? t('photos.captionSaved') : typeof status === 'object' ? <span className="error-text">{status.error}</span> : null}
      </p>
    </form>
  );
}

function PhotoActions({ photo }: { photo: PhotoMeta }) {
  const { t } = useI18n();
  const db = useDb();
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    try {
      setError(null);
      await action();
    } catch (e) {
      setError(t(describeStorageError(e).messageKey));
    }
  }

  /** Saves the original bytes as a file (the browser's download, the desktop app's save dialog). */
  async function saveOriginal() {
    const original = await getOriginal(db, photo.sha256);
    if (!original) return;
    const url = URL.createObjectURL(original.blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${photo.sha256.slice(0, 12)}.${extensionOf(photo.mime)}`;
    link.click();
    // the download has taken its copy by then
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  return (
    <div className="photo-viewer__actions">
      <button type="button" className="button" aria-pressed={photo.isCover} data-testid="photo-cover-toggle" onClick={() => void run(() => setCover(db, photo.id, !photo.isCover))}>
        {photo.isCover ? t('photos.unsetCover') : t('photos.setCover')}
      </button>
      <button type="button" className="button" onClick={() => void run(saveOriginal)}>
        {t('photos.downloadOriginal')}
      </button>
      {isConfirmingDelete ? (
        <span className="photo-viewer__confirm" role="group" aria-label={t('photos.deleteConfirm')}>
          <span>{t('photos.deleteConfirm')}</span>
          <button type="button" className="button button--danger" data-testid="photo-delete-confirm" autoFocus onClick={() => void run(() => deletePhoto(db, photo.id))}>
            {t('photos.deleteYes')}
          </button>
          <button type="button" className="button" onClick={() => setIsConfirmingDelete(false)}>
            {t('photos.deleteNo')}
          </button>
        </span>
      ) : (
        <button type="button" className="button button--danger-outline" data-testid="photo-delete" onClick={() => setIsConfirmingDelete(true)}>
          {t('photos.delete')}
        </button>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function extensionOf(mime: PhotoMeta['mime']): string {
  return mime === 'image/png' ? 'png' : mime === 'image/webp' ? 'webp' : 'jpg';
}
