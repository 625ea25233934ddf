import type { PhotoMeta } from '@shared/domain/schemas';
import { useT } from '../../i18n/use-t';

/** Thumbnails of a stop's photos; a click (or Enter) opens the viewer at that photo. */
export function PhotoGrid({ photos, thumbUrls, onOpen }: { photos: readonly PhotoMeta[]; thumbUrls: ReadonlyMap<string, string>; onOpen: (index: number) => void }) {
  const t = useT();
  return (
    <ul className="photo-grid" data-testid="photo-grid">
      {photos.map((photo, index) => {
        const url = thumbUrls.get(photo.sha256);
        const label = photo.caption || t('photos.photoNumber', { index: index + 1 });
        return (
          <li key={photo.id} className={`photo-tile${photo.isCover ? ' photo-tile--cover' : ''}`} data-testid="photo-tile" data-photo-id={photo.id}>
            <button type="button" className="photo-tile__button" onClick={() => onOpen(index)} aria-label={t('photos.open', { name: label })}>
              {url ? (
                <img className="photo-tile__image" src={url} alt="" width={photo.width} height={photo.height} decoding="async" draggable={false} />
              ) : (
                <span className="photo-tile__pending">{t('photos.pendingBytes')}</span>
              )}
              {photo.isCover && <span className="photo-tile__badge">{t('photos.cover')}</span>}
            </button>
            {photo.caption && (
              <p className="photo-tile__caption" title={photo.caption}>
                {photo.caption}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
