import type { Stop } from '@shared/domain/schemas';
import { formatCalendarDate } from '../../../i18n/format';
import { useT } from '../../../i18n/use-t';
import { notesByKind } from '../rankings/ranking-tables';
import type { BulletinMedia } from './use-bulletin-data';

/**
 * The bulletin's 附件: one page per project that has a photo (itinerary order): name and unit,
 * its standing, the cover photo, its facts and the 亮点 / 问题 / 建议 notes. Projects without a
 * photo get no page (a page saying “no photo” is paper wasted).
 */
export function BulletinPhotoPages({
  stops,
  unitNames,
  standings,
  coverUrls,
  media,
  mark = '附件',
}: {
  stops: readonly Stop[];
  unitNames: ReadonlyMap<string, string>;
  /** stop id → 得分…第…名 (absent for a rank vote: projects have no standing then) */
  standings: ReadonlyMap<string, string>;
  coverUrls: ReadonlyMap<string, string>;
  media: BulletinMedia;
  /** 附件, or 附件2 after the route map */
  mark?: string;
}) {
  const t = useT();
  return (
    <section className="bulletin__attachments" aria-label="附件">
      {stops.map((stop, i) => {
        const url = coverUrls.get(stop.id);
        const standing = standings.get(stop.id);
        return (
          <section className="bulletin__project" key={stop.id} data-testid="bulletin-project">
            {i === 0 && <p className="bulletin__attachment-mark">{mark}</p>}
            {i === 0 && <h2 className="bulletin__attachment-title">项目现场照片</h2>}
            <h3 className="bulletin__project-name">
              {stop.name}
              <span className="bulletin__project-unit">（{unitNames.get(stop.unitId) ?? stop.unitId}）</span>
            </h3>
            {standing && <p className="bulletin__standing">{standing}</p>}
            {url && <img className="bulletin__photo" src={url} alt={`${stop.name}现场照片`} />}
            {url && media.coverQuality.get(stop.id) === 'thumb' && (
              // on screen only: the secretariat should know this photo will print small and blurry
              <p className="notice notice--warning no-print" data-testid="bulletin-low-res-photo">
                {media.coverDownloading.has(stop.id) ? t('desk.bulletin.coverDownloading') : t('desk.bulletin.coverThumbOnly')}
              </p>
            )}
            <StopFacts stop={stop} />
            {notesByKind(media.notes.get(stop.id) ?? []).map((g) => (
              <div key={g.kind} className={`bulletin__notes bulletin__notes--${g.kind}`}>
                <h4>{g.label}</h4>
                <ul>
                  {g.texts.map((text, k) => (
                    <li key={k}>{text}</li>
                  ))}
                </ul>
              </div>
            ))}
          </section>
        );
      })}
    </section>
  );
}

function StopFacts({ stop }: { stop: Stop }) {
  const facts: [string, string][] = [];
  if (stop.category) facts.push(['类别', stop.category]);
  if (stop.totalInvestment !== null) facts.push(['总投资', `${stop.totalInvestment.toLocaleString('zh-CN')}万元`]);
  if (stop.completedInvestment !== null) facts.push(['已完成投资', `${stop.completedInvestment.toLocaleString('zh-CN')}万元`]);
  if (stop.startDate) facts.push(['开工时间', formatCalendarDate(stop.startDate, 'zh-CN')]);
  if (stop.address) facts.push(['地址', stop.address]);
  if (stop.content) facts.push(['建设内容', stop.content]);
  if (facts.length === 0) return null;
  return (
    <dl className="bulletin__facts">
      {facts.map(([k, v]) => (
        <div key={k} className={k === '建设内容' || k === '地址' ? 'bulletin__fact--wide' : undefined}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
