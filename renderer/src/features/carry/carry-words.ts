/** Carried work in plain words: "3 张评分表、3 张照片" (en: "3 score sheets, 3 photos"). */
import type { MessageKey, Translate } from '../../i18n/catalogs';
import type { TourWork } from '../../sync/unsynced-work';
import { CarryFileError } from './carry-file';
import { ExportError } from './export-unsynced';

const kinds: readonly [keyof Omit<TourWork, 'tourId'>, MessageKey][] = [
  ['sheets', 'pending.sheets'],
  ['ballots', 'pending.ballots'],
  ['notes', 'pending.notes'],
  ['photos', 'pending.photos'],
  ['other', 'carry.work.other'],
];

export function describeWork(t: Translate, work: Omit<TourWork, 'tourId'>): string {
  const parts = kinds.filter(([kind]) => work[kind] > 0).map(([kind, key]) => t(key, { count: work[kind] }));
  return parts.length === 0 ? t('carry.work.nothing') : parts.join(t('pending.separator'));
}

/** The sum of several tours' work. */
export function totalWork(works: readonly Omit<TourWork, 'tourId'>[]): Omit<TourWork, 'tourId'> {
  const total = { sheets: 0, ballots: 0, notes: 0, photos: 0, other: 0 };
  for (const w of works) for (const kind of Object.keys(total) as (keyof typeof total)[]) total[kind] += w[kind];
  return total;
}

/** Why reading or exporting a file failed, for the user. */
export function describeCarryError(t: Translate, error: unknown): string {
  if (error instanceof CarryFileError) {
    if (error.failure === 'otherUser') return t('carry.error.otherUser', { name: error.owner?.displayName ?? '', username: error.owner?.username ?? '' });
    return t(`carry.error.${error.failure}` as MessageKey);
  }
  if (error instanceof ExportError) {
    if (error.failure === 'signedOut') return t('carry.needSignIn');
    if (error.failure === 'nothingToExport') return t('carry.nothingPending');
    return t('carry.error.noKey');
  }
  return error instanceof Error ? error.message : String(error);
}
