import { useMemo, useState } from 'react';
import { useT } from '../../../i18n/use-t';
import { useObjectUrls } from '../../photos/use-object-urls';
import { useDeskAccess } from '../use-desk-access';
import { useRulesInForce } from '../rankings/trial-rules';
import { useComputedRankings, useTourRecords } from '../rankings/use-rankings-data';
import { buildBulletinDocument, photoPageStops, projectStanding } from './bulletin-document';
import { BulletinDocument } from './BulletinDocument';
import { BulletinHeaderPanel } from './BulletinHeaderPanel';
import { BulletinPhotoPages } from './BulletinPhotoPages';
import { localDate } from './ExportWorkbookButton';
import { useBulletinMedia } from './use-bulletin-data';
import { BulletinRouteMap } from '../map/BulletinRouteMap';
import { useRouteMapImage } from '../map/use-route-map-image';
import type { Stop } from '@shared/domain/schemas';
import './bulletin.css';

const NO_STOPS: readonly Stop[] = [];

/**
 * #/tours/:id/bulletin — the bulletin (通报) as an official document: masthead, title, 主送, the
 * ranking tables (units, then projects, groups in tour order), the 评议办法 sentence, 落款 and
 * 印发日期; optionally the tour's route map, drawn from this computer's offline map pack (left out
 * when there is no pack here), and one photo page per project that has a photo. A print stylesheet lays it
 * out on A4. In Electron 导出 PDF calls printToPDF through the preload bridge; in a browser it
 * opens the print dialog (save as PDF there).
 *
 * Above the document (never printed) the secretariat edits the header fields, saved with the tour,
 * and chooses whether to attach the photo pages. Rankings use the tour's saved rules only.
 *
 * Language: the toolbar and the form speak the user's language; the bulletin itself is an
 * official document for Chinese government readers and stays Chinese whatever the app's language
 * (marked lang="zh-CN" for fonts and screen readers), as does the PDF's file name.
 */
export function BulletinPage({ tourId }: { tourId: string }) {
  const t = useT();
  const access = useDeskAccess();
  const records = useTourRecords(tourId);
  const media = useBulletinMedia(tourId);
  // the secretariat's trial rules (rankings page) apply here too, and the bulletin then says so
  const { rules: rulesInForce, isTrial } = useRulesInForce(records?.tour, access === 'allowed');
  const computed = useComputedRankings(records, rulesInForce);
  const coverUrls = useObjectUrls(media?.coverBlobs);
  const [printError, setPrintError] = useState<string | null>(null);
  const [wantsPhotos, setWantsPhotos] = useState(true);
  const [wantsRouteMap, setWantsRouteMap] = useState(true);
  const routeMap = useRouteMapImage(tourId, records?.tour.startDate ?? '', records?.stops ?? NO_STOPS);
  const doc = useMemo(() => (records && computed ? buildBulletinDocument({ tour: records.tour, units: records.units, stops: records.stops, tables: computed.tables }) : null), [records, computed]);

  if (records === undefined || media === undefined || access === 'loading') {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (!records || !computed || !doc) return <p className="empty">{t('desk.common.tourNotFound')}</p>;
  const { tour, units, stops } = records;
  const isStaff = access === 'allowed';
  if (!isStaff && tour.status !== 'results_published') {
    return (
      <p className="empty" role="alert">
        {t('desk.bulletin.notYetPublished')}
      </p>
    );
  }
  const { tables } = computed;
  const photoStops = photoPageStops(stops, (id) => coverUrls.has(id));
  const hasPhotoPages = wantsPhotos && photoStops.length > 0;
  const hasRouteMap = wantsRouteMap && routeMap.status === 'ready';
  const attachmentNames = [...(hasRouteMap ? ['观摩路线图'] : []), ...(hasPhotoPages ? ['项目现场照片'] : [])];
  const standings = new Map(tables.method === 'rankVote' ? [] : tables.projectLists.flatMap((list) => list.projects.map((p) => [p.stopId, projectStanding(p, list)] as const)));

  async function exportPdf() {
    setPrintError(null);
    const bridge = window.guanmo;
    if (!bridge) {
      window.print();
      return;
    }
    const day = tour.bulletin?.issueDate ?? localDate(new Date());
    const outcome = await bridge.printToPdf({ suggestedName: `${tour.name}-通报-${day}.pdf`, title: t('desk.bulletin.saveDialogTitle'), pageSize: 'A4', printBackground: true });
    if (!outcome.ok) setPrintError(outcome.error.message);
  }

  return (
    <article className="bulletin" data-testid="bulletin">
      <nav className="bulletin__toolbar no-print">
        <button type="button" className="button button--primary" onClick={() => void exportPdf()}>
          {window.guanmo ? t('desk.bulletin.exportPdf') : t('desk.bulletin.print')}
        </button>
        {printError && (
          <span className="notice notice--error" role="alert">
            {printError}
          </span>
        )}
      </nav>
      {isStaff && <BulletinHeaderPanel tour={tour} />}
      <div className="bulletin__options no-print">
        <label className="bulletin__option">
          <input type="checkbox" checked={hasPhotoPages} disabled={photoStops.length === 0} onChange={(e) => setWantsPhotos(e.target.checked)} data-testid="bulletin-photo-pages" />
          {photoStops.length > 0 ? t('desk.bulletin.photoPages', { count: photoStops.length }) : t('desk.bulletin.noPhotoPages')}
        </label>
        <label className="bulletin__option">
          <input type="checkbox" checked={hasRouteMap} disabled={routeMap.status !== 'ready'} onChange={(e) => setWantsRouteMap(e.target.checked)} data-testid="bulletin-route-map-option" />
          {routeMap.status === 'ready' ? t('deskMap.bulletin.routeMap') : routeMap.status === 'none' ? t('deskMap.bulletin.noRouteMap') : t('deskMap.bulletin.drawingRouteMap')}
        </label>
        {isStaff && tour.status !== 'results_published' && (
          <p className="notice notice--warning" role="status" data-testid="bulletin-not-published">
            {t('desk.bulletin.draftNotice')}
          </p>
        )}
        {isStaff && tables.missingCount > 0 && (
          <p className="notice notice--warning" role="status">
            {t(tables.method === 'rankVote' ? 'desk.bulletin.missingBallots' : 'desk.bulletin.missingSheets', { count: tables.missingCount })}
          </p>
        )}
      </div>
      <BulletinDocument
        doc={doc}
        header={tour.bulletin}
        isTrial={isTrial}
        attachmentNames={attachmentNames}
        attachments={
          attachmentNames.length > 0 ? (
            <>
              {hasRouteMap && routeMap.status === 'ready' && <BulletinRouteMap image={routeMap} mark={hasPhotoPages ? '附件1' : '附件'} />}
              {hasPhotoPages && <BulletinPhotoPages stops={photoStops} unitNames={new Map(units.map((u) => [u.id, u.name]))} standings={standings} coverUrls={coverUrls} media={media} mark={hasRouteMap ? '附件2' : '附件'} />}
            </>
          ) : null
        }
      />
    </article>
  );
}
