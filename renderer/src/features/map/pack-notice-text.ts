import type { TilePackNotice } from '../../db/entities';
import type { Locale, Translate } from '../../i18n/catalogs';
import { formatBytes, formatDateTime } from '../../i18n/format';

/** What the app did to an offline map by itself, as a sentence for the user. */
export function noticeText(notice: TilePackNotice, t: Translate, locale: Locale): string {
  const params = { tour: notice.tourName, size: formatBytes(notice.size, locale), time: formatDateTime(notice.at, locale) };
  switch (notice.kind) {
    case 'tourOver':
      return t('map.notice.tourOver', params);
    case 'tourGone':
      return t('map.notice.tourGone', params);
    case 'storageShort':
      return t('map.notice.storageShort', params);
    case 'noSpace':
      return t('map.notice.noSpace', params);
    case 'corrupt':
      return t('map.notice.corrupt', params);
  }
}
