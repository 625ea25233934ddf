import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/use-t';
import { useObjectUrl } from './use-object-urls';

type CameraState =
  | { kind: 'starting' }
  | { kind: 'live' }
  | { kind: 'captured'; blob: Blob; takenAt: string }
  | { kind: 'error'; reason: 'denied' | 'notFound' | 'busy' | 'unsupported' | 'failed'; detail: string };

/** What went wrong opening the camera, by the DOMException name getUserMedia rejects with. */
export function cameraErrorReason(error: unknown): Extract<CameraState, { kind: 'error' }>['reason'] {
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'PermissionDeniedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return 'notFound';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'busy';
  return 'failed';
}

/**
 * Takes one photo with the laptop camera: live preview, capture, look at it, retake or use it.
 * The camera is released as soon as the dialog closes or a photo is captured.
 */
export function CameraCaptureDialog({ onUse, onClose }: { onUse: (photo: Blob, takenAt: string) => void; onClose: () => void }) {
  const t = useT();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const [state, setState] = useState<CameraState>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);
  const capturedUrl = useObjectUrl(state.kind === 'captured' ? state.blob : null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const isLiveWanted = state.kind === 'starting';
  useEffect(() => {
    if (!isLiveWanted) return;
    let isCurrent = true;
    const mediaDevices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (!mediaDevices?.getUserMedia) {
      setState({ kind: 'error', reason: 'unsupported', detail: '' });
      return;
    }
    mediaDevices
      .getUserMedia({ video: { width: { ideal: 1920 }, height: { ideal: 1080 }, facingMode: 'environment' }, audio: false })
      .then(async (stream) => {
        if (!isCurrent) {
          stopStream(stream);
          return;
        }
        streamRef.current = stream;
        const video = videoRef.current;
        if (video) {
          video.srcObject = stream;
          await video.play().catch(() => undefined);
        }
        setState({ kind: 'live' });
      })
      .catch((error: unknown) => {
        if (isCurrent) setState({ kind: 'error', reason: cameraErrorReason(error), detail: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      isCurrent = false;
    };
  }, [isLiveWanted, attempt]);

  // release the camera when the dialog goes away
  useEffect(() => () => release(), []);

  function release() {
    if (streamRef.current) stopStream(streamRef.current);
    streamRef.current = null;
  }

  function capture() {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    const takenAt = new Date().toISOString();
    canvas.toBlob(
      (blob) => {
        if (!blob) return;
        release();
        setState({ kind: 'captured', blob, takenAt });
      },
      'image/jpeg',
      0.92,
    );
  }

  function close() {
    release();
    dialogRef.current?.close();
    onClose();
  }

  return (
    <dialog
      ref={dialogRef}
      className="camera-dialog"
      aria-labelledby="camera-dialog-title"
      data-testid="camera-dialog"
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
    >
      <header className="camera-dialog__header">
        <h2 id="camera-dialog-title">{t('photos.camera.title')}</h2>
        <button type="button" className="button button--small" onClick={close}>
          {t('photos.close')}
        </button>
      </header>
      <div className="camera-dialog__stage">
        {state.kind === 'error' ? (
          <p className="camera-dialog__error" role="alert" data-testid="camera-error">
            {state.reason === 'failed' ? t('photos.camera.failed', { detail: state.detail }) : t(`photos.camera.${state.reason}`)}
          </p>
        ) : state.kind === 'captured' ? (
          capturedUrl && <img className="camera-dialog__media" src={capturedUrl} alt={t('photos.camera.preview')} />
        ) : (
          <>
            <video ref={videoRef} className="camera-dialog__media" muted playsInline aria-label={t('photos.camera.live')} />
            {state.kind === 'starting' && <p className="camera-dialog__status muted">{t('photos.camera.starting')}</p>}
          </>
        )}
      </div>
      <footer className="camera-dialog__actions">
        {state.kind === 'live' && (
          <button type="button" className="button button--primary" onClick={capture} autoFocus>
            {t('photos.camera.capture')}
          </button>
        )}
        {state.kind === 'captured' && (
          <>
            <button
              type="button"
              className="button"
              onClick={() => {
                setAttempt((n) => n + 1);
                setState({ kind: 'starting' });
              }}
            >
              {t('photos.camera.retake')}
            </button>
            <button
              type="button"
              className="button button--primary"
              autoFocus
              onClick={() => {
                onUse(state.blob, state.takenAt);
                close();
              }}
            >
              {t('photos.camera.use')}
            </button>
          </>
        )}
        {state.kind === 'error' && state.reason !== 'unsupported' && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setAttempt((n) => n + 1);
              setState({ kind: 'starting' });
            }}
          >
            {t('photos.camera.retry')}
          </button>
        )}
      </footer>
    </dialog>
  );
}

function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
