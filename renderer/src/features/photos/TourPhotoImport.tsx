import { useEffect, useMemo, useRef, useState } from 'react';
import type { Stop } from '@shared/domain/schemas';
import { proposeStops, type MatchConfidence, type StopProposal } from '@shared/photos/match-stop';
import { useDb } from '../../db/db-context';
import { listTourPhotos } from '../../db/photos-repo';
import { useStops } from '../../db/use-tours';
import { formatDay } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { analysePhotos, saveAnalysedPhotos, type AnalysedPhoto, type ImportReport } from './import-photos';
import { ImportProgress, ImportReportView } from './ImportReportView';
import { PhotoFilePicker } from './PhotoFilePicker';
import { describeFailure, describeReason, formatTakenAt, instantToDeviceLocal } from './photo-messages';
import { getPhotoWorkerPool } from './photo-worker-pool';
import { useObjectUrls } from './use-object-urls';
import './photos.css';

type Phase =
  | { kind: 'analysing'; done: number; total: number }
  | { kind: 'reviewing'; rows: ReviewRow[]; failures: AnalysedPhoto[] }
  | { kind: 'saving'; done: number; total: number }
  | { kind: 'done'; report: ImportReport };

interface ReviewRow {
  key: string;
  analysed: Extract<AnalysedPhoto, { ok: true }>;
  proposal: StopProposal;
}

/**
 * "导入照片" on the tour page: a batch of photos from a camera card or phone, each proposed to
 * the stop it was taken at (GPS distance, then time against the itinerary), shown with the
 * reason; the user confirms or changes each, then they are imported.
 */
export function TourPhotoImport({ tourId, authorId }: { tourId: string; authorId?: string | null }) {
  const { t } = useI18n();
  const [files, setFiles] = useState<File[] | null>(null);
  const canAdd = typeof authorId === 'string' && authorId.length > 0;
  return (
    <div className="tour-photo-import">
      <PhotoFilePicker onFiles={setFiles} isDisabled={!canAdd} testId="tour-photo-input" className="button">
        {t('photos.tourImport.button')}
      </PhotoFilePicker>
      <span className="muted">{canAdd ? t('photos.tourImport.hint') : t('photos.needsUser')}</span>
      {files && canAdd && <TourImportDialog key={files.map((f) => f.name).join('|')} tourId={tourId} authorId={authorId} files={files} onClose={() => setFiles(null)} />}
    </div>
  );
}

function TourImportDialog({ tourId, authorId, files, onClose }: { tourId: string; authorId: string; files: File[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const db = useDb();
  const stops = useStops(tourId);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const abortRef = useRef(new AbortController());
  const [phase, setPhase] = useState<Phase>({ kind: 'analysing', done: 0, total: files.length });
  const [choices, setChoices] = useState<ReadonlyMap<string, string>>(new Map());
  const [analysed, setAnalysed] = useState<AnalysedPhoto[] | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  // 1. process every file in the photo workers (hash, EXIF, thumbnail); nothing is stored yet
  useEffect(() => {
    const controller = new AbortController();
    abortRef.current = controller;
    const signal = controller.signal;
    void analysePhotos(
      getPhotoWorkerPool(),
      files.map((file) => ({ file, name: file.name })),
      { signal, onProgress: ({ done, total }) => setPhase({ kind: 'analysing', done, total }) },
    ).then((results) => {
      if (results && !signal.aborted) setAnalysed(results);
    });
    return () => controller.abort();
  }, [files]);

  // 2. propose a stop for each, using the photos already placed in this tour as neighbours in time
  useEffect(() => {
    if (!analysed || !stops) return;
    let isCurrent = true;
    void listTourPhotos(db, tourId).then((placed) => {
      if (!isCurrent) return;
      const good = analysed.filter((a): a is ReviewRow['analysed'] => a.ok);
      const proposals = proposeStops(
        good.map((a, i) => ({ key: String(i), takenLocal: a.photo.takenLocal, lat: a.photo.lat, lng: a.photo.lng })),
        stops.map((s) => ({ id: s.id, day: s.day, order: s.order, lat: s.lat, lng: s.lng })),
        { placed: placed.filter((p) => p.takenAt !== null).map((p) => ({ stopId: p.stopId, takenLocal: instantToDeviceLocal(p.takenAt!) })) },
      );
      const rows = good.map((a, i) => ({ key: String(i), analysed: a, proposal: proposals[i]! }));
      setChoices(new Map(rows.map((r) => [r.key, r.proposal.stopId ?? ''])));
      setPhase({ kind: 'reviewing', rows, failures: analysed.filter((a) => !a.ok) });
    });
    return () => {
      isCurrent = false;
    };
  }, [analysed, stops, db, tourId]);

  const thumbs = useMemo(() => {
    if (phase.kind !== 'reviewing') return undefined;
    return new Map(phase.rows.map((r) => [r.key, r.analysed.photo.thumb]));
  }, [phase]);
  const thumbUrls = useObjectUrls(thumbs);

  function close() {
    abortRef.current.abort();
    dialogRef.current?.close();
    onClose();
  }

  async function importChosen(rows: ReviewRow[], failures: AnalysedPhoto[]) {
    const items = rows.flatMap((r) => {
      const stopId = choices.get(r.key);
      return stopId ? [{ analysed: r.analysed as AnalysedPhoto, stopId }] : [];
    });
    setPhase({ kind: 'saving', done: 0, total: items.length });
    const report = await saveAnalysedPhotos(db, items, { tourId, authorId }, { onProgress: ({ done, total }) => setPhase({ kind: 'saving', done, total }) });
    // files that could not be read are part of what the user is told at the end, too
    const failed = [...failures.flatMap((f) => (f.ok ? [] : [{ name: f.source.name, failure: f.failure }])), ...report.failed];
    setPhase({ kind: 'done', report: { ...report, failed } });
  }

  const stopsById = useMemo(() => new Map((stops ?? []).map((s) => [s.id, s])), [stops]);
  const stopName = (id: string) => stopsById.get(id)?.name ?? id;
  const chosenCount = phase.kind === 'reviewing' ? phase.rows.filter((r) => choices.get(r.key)).length : 0;

  return (
    <dialog
      ref={dialogRef}
      className="tour-import-dialog"
      aria-labelledby="tour-import-title"
      data-testid="tour-import-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (phase.kind !== 'saving') close();
      }}
    >
      <header className="tour-import-dialog__header">
        <h2 id="tour-import-title">{t('photos.tourImport.title')}</h2>
        {phase.kind === 'reviewing' && (
          <p className="muted" data-testid="tour-import-summary">
            {t('photos.tourImport.summary', {
              matched: phase.rows.filter((r) => r.proposal.stopId).length,
              unmatched: phase.rows.filter((r) => !r.proposal.stopId).length,
            })}
          </p>
        )}
      </header>
      <div className="tour-import-dialog__body">
        {phase.kind === 'analysing' && <ImportProgress total={phase.total} done={phase.done} label={t('photos.tourImport.analysing', { done: phase.done, total: phase.total })} />}
        {phase.kind === 'saving' && <ImportProgress total={phase.total} done={phase.done} label={t('photos.importing', { done: phase.done, total: phase.total })} />}
        {phase.kind === 'done' && <ImportReportView report={phase.report} />}
        {phase.kind === 'reviewing' && (
          <>
            {phase.failures.length > 0 && (
              <div className="photo-import-report photo-import-report--problems" role="alert" data-testid="photo-import-report">
                <p>{t('photos.tourImport.failedTitle', { count: phase.failures.length })}</p>
                <ul className="photo-import-report__failures">
                  {phase.failures.map((f, i) =>
                    f.ok ? null : (
                      <li key={i} data-testid="photo-import-failure">
                        <strong className="photo-import-report__name">{f.source.name}</strong>
                        {t('photos.report.nameSeparator')}
                        {describeFailure(t, f.failure)}
                      </li>
                    ),
                  )}
                </ul>
              </div>
            )}
            <ul className="tour-import-list">
              {phase.rows.map((row) => (
                <ReviewRowView
                  key={row.key}
                  row={row}
                  stops={stops ?? []}
                  thumbUrl={thumbUrls.get(row.key)}
                  chosen={choices.get(row.key) ?? ''}
                  onChoose={(stopId) => setChoices((current) => new Map(current).set(row.key, stopId))}
                  reason={describeReason(t, locale, row.proposal.reason, stopName, (day) => formatDay(day, locale))}
                />
              ))}
            </ul>
          </>
        )}
      </div>
      <footer className="tour-import-dialog__footer">
        <span />
        <div className="photos__actions">
          {phase.kind === 'done' ? (
            <button type="button" className="button button--primary" onClick={close} autoFocus>
              {t('photos.tourImport.close')}
            </button>
          ) : (
            <>
              <button type="button" className="button" onClick={close} disabled={phase.kind === 'saving'}>
                {t('photos.tourImport.cancel')}
              </button>
              {phase.kind === 'reviewing' && (
                <button type="button" className="button button--primary" disabled={chosenCount === 0} data-testid="tour-import-confirm" onClick={() => void importChosen(phase.rows, phase.failures)}>
                  {t('photos.tourImport.import', { count: chosenCount })}
                </button>
              )}
            </>
          )}
        </div>
      </footer>
    </dialog>
  );
}

function ReviewRowView({
  row,
  stops,
  thumbUrl,
  chosen,
  onChoose,
  reason,
}: {
  row: ReviewRow;
  stops: readonly Stop[];
  thumbUrl: string | undefined;
  chosen: string;
  onChoose: (stopId: string) => void;
  reason: string;
}) {
  const { t, locale } = useI18n();
  const { photo, source } = row.analysed;
  const days = useMemo(() => groupByDay(stops), [stops]);
  const confidence: MatchConfidence | 'none' = row.proposal.confidence ?? 'none';
  const selectId = `tour-import-stop-${row.key}`;
  return (
    <li className={`tour-import-row${chosen ? '' : ' tour-import-row--unmatched'}`} data-testid="tour-import-row" data-file-name={source.name}>
      {thumbUrl ? <img className="tour-import-row__thumb" src={thumbUrl} alt="" /> : <span className="tour-import-row__thumb" />}
      <div>
        <p className="tour-import-row__file" title={source.name}>
          {source.name}
        </p>
        <p className="tour-import-row__meta">
          {photo.takenAt ? formatTakenAt(photo.takenAt, locale) : t('photos.takenAtUnknown')}
          {' · '}
          {photo.lat !== null ? t('photos.tourImport.hasGps') : t('photos.tourImport.noGps')}
        </p>
      </div>
      <div className="tour-import-row__choice">
        <label htmlFor={selectId} className="visually-hidden">
          {t('photos.tourImport.stopFor', { name: source.name })}
        </label>
        <select id={selectId} value={chosen} onChange={(event) => onChoose(event.target.value)} data-testid="tour-import-stop">
          <option value="">{t('photos.tourImport.skip')}</option>
          {days.map(([day, dayStops]) => (
            <optgroup key={day} label={formatDay(day, locale)}>
              {dayStops.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.order}. {s.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p className="tour-import-row__reason" data-testid="tour-import-reason">
          <span className={`confidence confidence--${confidence}`}>{t(`photos.confidence.${confidence}`)}</span>
          <span>{reason}</span>
        </p>
      </div>
    </li>
  );
}

function groupByDay(stops: readonly Stop[]): [string, Stop[]][] {
  const byDay = new Map<string, Stop[]>();
  for (const stop of [...stops].sort((a, b) => a.day.localeCompare(b.day) || a.order - b.order)) {
    const list = byDay.get(stop.day) ?? [];
    list.push(stop);
    byDay.set(stop.day, list);
  }
  return [...byDay.entries()];
}
