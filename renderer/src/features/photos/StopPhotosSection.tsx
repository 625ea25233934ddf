import { useCallback, useEffect, useState } from 'react';
import { useDb } from '../../db/db-context';
import { useT } from '../../i18n/use-t';
import { CameraCaptureDialog } from './CameraCaptureDialog';
import type { PhotoSource } from './import-photos';
import { ImportProgress, ImportReportView } from './ImportReportView';
import { makeMissingPreviews } from './make-missing-previews';
import { PhotoFilePicker } from './PhotoFilePicker';
import { PhotoGrid } from './PhotoGrid';
import { PhotoViewer } from './PhotoViewer';
import { getPhotoWorkerPool } from './photo-worker-pool';
import { useWindowFileDrop } from './use-file-drop';
import { useObjectUrls } from './use-object-urls';
import { useStopImport } from './use-photo-imports';
import { useStopGallery } from './use-stop-gallery';
import './photos.css';

/**
 * The photos of one stop: add many at once (file picker, or drop anywhere on the stop page),
 * take one with the laptop camera, browse the thumbnails, open the viewer.
 * `authorId`: who takes the photos (the current user); without one, adding is disabled.
 */
export function StopPhotosSection({ tourId, stopId, authorId }: { tourId: string; stopId: string; authorId?: string | null }) {
  const t = useT();
  const gallery = useStopGallery(tourId, stopId);
  const thumbUrls = useObjectUrls(gallery?.thumbs);
  const { store, state } = useStopImport(stopId);
  const [viewerIndex, setViewerIndex] = useState<number | null>(null);
  const [isCameraOpen, setIsCameraOpen] = useState(false);
  const canAdd = typeof authorId === 'string' && authorId.length > 0;

  const addSources = useCallback(
    (sources: PhotoSource[]) => {
      if (!canAdd) return;
      void store.start({ tourId, stopId, authorId }, sources);
    },
    [store, tourId, stopId, authorId, canAdd],
  );
  const addFiles = useCallback((files: File[]) => addSources(files.map((file) => ({ file, name: file.name }))), [addSources]);
  const isDragging = useWindowFileDrop(addFiles, canAdd && viewerIndex === null && !isCameraOpen);

  const closeViewer = useCallback(() => setViewerIndex(null), []);

  // photos whose bytes came by sync have no thumbnail yet: make them (the gallery updates by itself)
  const db = useDb();
  const missingThumbs = gallery?.photos.filter((p) => !gallery.thumbs.has(p.sha256)).map((p) => p.sha256).join(',') ?? '';
  useEffect(() => {
    if (missingThumbs) void makeMissingPreviews(db, getPhotoWorkerPool(), missingThumbs.split(','));
  }, [db, missingThumbs]);

  const photos = gallery?.photos ?? [];
  return (
    <section className="photos" aria-labelledby={`photos-title-${stopId}`} data-testid="stop-photos">
      <header className="photos__header">
        <h2 className="photos__title" id={`photos-title-${stopId}`}>
          {t('photos.title')}
          {gallery && <span className="photos__count">{t('photos.count', { count: photos.length })}</span>}
        </h2>
        <div className="photos__actions">
          <PhotoFilePicker onFiles={addFiles} isDisabled={!canAdd} testId="photo-input">
            {t('photos.add')}
          </PhotoFilePicker>
          <button type="button" className="button" onClick={() => setIsCameraOpen(true)} disabled={!canAdd} data-testid="photo-camera">
            {t('photos.takePhoto')}
          </button>
        </div>
      </header>
      <p className="photos__hint muted">{canAdd ? t('photos.addHint') : t('photos.needsUser')}</p>

      {state.isRunning && (
        <ImportProgress total={state.total} done={state.done} label={t('photos.importing', { done: state.done, total: state.total })} onCancel={() => store.cancel(stopId)} />
      )}
      {state.report && !state.isRunning && <ImportReportView report={state.report} onDismiss={() => store.dismiss(stopId)} />}

      {gallery === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : photos.length === 0 ? (
        <p className="empty photos__empty">{t('photos.empty')}</p>
      ) : (
        <PhotoGrid photos={photos} thumbUrls={thumbUrls} onOpen={setViewerIndex} />
      )}

      {isDragging && (
        <div className="photos__drop-overlay" aria-hidden="true">
          <p>{t('photos.dropHere')}</p>
        </div>
      )}
      {viewerIndex !== null && gallery && photos.length > 0 && (
        <PhotoViewer photos={photos} index={Math.min(viewerIndex, photos.length - 1)} stop={gallery.stop} onIndexChange={setViewerIndex} onClose={closeViewer} />
      )}
      {isCameraOpen && canAdd && (
        <CameraCaptureDialog
          onClose={() => setIsCameraOpen(false)}
          onUse={(blob, takenAt) => addSources([{ file: blob, name: cameraFileName(takenAt), takenAtFallback: takenAt }])}
        />
      )}
    </section>
  );
}

/** "camera-20211208-103015.jpg", in this device's time: the name the report uses for a capture. */
function cameraFileName(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `camera-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}.jpg`;
}
