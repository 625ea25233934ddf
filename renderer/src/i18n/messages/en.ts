import type { Message } from '../message';
import type { ZhMessageKey } from './keys';

/** English. Same keys and placeholders as zh-CN (the type and i18n.test.ts enforce it). */
export const en: Record<ZhMessageKey, Message> = {
  'app.name': 'Guanmo',
  'app.latinName': '观摩',
  'app.tagline': 'On-site project inspection tours',
  'app.loading': 'Opening local data…',
  'app.skipToContent': 'Skip to content',

  'nav.main': 'Main navigation',
  'nav.tours': 'Tours',
  'nav.settings': 'Settings',

  'network.online': 'Online',
  'network.offline': 'Offline',
  'network.onlineHint': 'Connected',
  'network.offlineHint': 'Offline: everything is still saved on this computer and syncs when the connection returns',

  'common.loading': 'Loading…',
  'common.none': '—',
  'common.listSeparator': ', ',

  'tourKind.scored': 'Scored inspection',
  'tourKind.study': 'Study tour',

  'tourStatus.draft': 'Draft',
  'tourStatus.published': 'Published',
  'tourStatus.scoring': 'Scoring',
  'tourStatus.closed': 'Closed',
  'tourStatus.results_published': 'Results published',

  'tours.title': 'Tours',
  'tours.subtitle': 'Tours stored on this computer, available offline',
  'tours.empty': 'There are no tours on this computer yet.',
  'tours.stopCount': { one: '{count} project', other: '{count} projects' },
  'tours.unitCount': { one: '{count} host unit', other: '{count} host units' },
  'tours.dayCount': { one: '{count} day', other: '{count} days' },
  'tours.open': 'Open itinerary: {name}',

  'tour.backToList': 'All tours',
  'tour.notFound': 'This tour was not found. It may have been deleted or not synced to this computer yet.',
  'tour.itinerary': 'Itinerary',
  'tour.noStops': 'This tour has no itinerary yet.',
  'tour.dayTitle': 'Day {number}',
  'tour.dayStopCount': { one: '{count} project', other: '{count} projects' },

  'stop.order': 'Stop {order}',
  'stop.hostUnit': 'Host unit',
  'stop.category': 'Category',
  'stop.totalInvestment': 'Total investment',
  'stop.completedInvestment': 'Invested so far',
  'stop.completedShare': '{percent} done',
  'stop.address': 'Address',
  'stop.unknownUnit': 'Unknown unit',

  'settings.title': 'Settings',
  'settings.language': 'Language',
  'settings.languageHint': 'Changes the display language on this computer only.',
  'settings.about': 'About',
  'settings.aboutText': 'Guanmo supports on-site inspection and study tours of key projects: itineraries, scores, photos and notes are saved on this computer first, work offline and sync when online.',
  'settings.version': 'Version',
  'settings.clientId': 'Device ID',
  'settings.localData': 'Local data',
  'settings.localDataValue': '{tours} tours, {stops} projects',
  'settings.pendingChanges': 'Changes waiting to sync',
  'settings.network': 'Network',

  'language.zh-CN': '简体中文',
  'language.en': 'English',

  'notFound.title': 'Page not found',
  'notFound.back': 'Back to tours',

  'error.title': 'Something went wrong',
  'error.body': 'Guanmo hit an unexpected error. Saved data is not affected. Please reload; if it keeps happening, send the error details below to your administrator.',
  'error.reload': 'Reload',
  'error.dbUnavailableTitle': 'Local database unavailable',
  'error.dbUnavailableBody': 'Guanmo stores its data on this computer (IndexedDB), but this browser does not allow it: perhaps a private window, or site data is disabled. Use a normal window, allow this site to store data, or use the Guanmo desktop app.',
  'error.dbBlockedTitle': 'Local database in use by another window',
  'error.dbBlockedBody': 'Another Guanmo window is using an older version of the data. Close the other Guanmo windows and reload.',
};
