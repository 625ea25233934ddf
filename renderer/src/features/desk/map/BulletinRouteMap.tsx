import { formatMonthDay } from '../../../i18n/format';
import { ROUTE_DAY_COLOURS } from './render-route-map';
import type { RouteMapImage } from './use-route-map-image';

/**
 * The bulletin's 附件 page with the tour's route map (drawn from the offline pack), its day
 * legend and the basemap's attribution. Chinese whatever the app's language, like the rest of
 * the printed bulletin.
 */
export function BulletinRouteMap({ image, mark }: { image: Extract<RouteMapImage, { status: 'ready' }>; mark: string }) {
  return (
    <section className="bulletin__attachments bulletin__route-map" aria-label={mark} data-testid="bulletin-route-map">
      <p className="bulletin__attachment-mark">{mark}</p>
      <h2 className="bulletin__attachment-title">观摩路线图</h2>
      <img className="bulletin__route-map-image" src={image.url} alt="观摩路线图：各项目位置和每天的参观路线" />
      <p className="bulletin__route-map-legend">
        {image.days.map((d) => (
          <span key={d.day} className="bulletin__route-map-day">
            <span className={`bulletin__route-map-swatch bulletin__route-map-swatch--${d.colourIndex % ROUTE_DAY_COLOURS.length}`} aria-hidden="true" />第{d.number}天（{formatMonthDay(d.day, 'zh-CN')}）
          </span>
        ))}
        <span>圆点中的数字为当天参观顺序。</span>
      </p>
      {image.attribution && <p className="bulletin__route-map-attribution">底图：{image.attribution}</p>}
    </section>
  );
}
