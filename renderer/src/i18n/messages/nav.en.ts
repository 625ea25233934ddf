import type { Message } from '../message';
import type { navZhCN } from './nav.zh-CN';

/** English for nav.zh-CN.ts: same keys and placeholders. */
export const navEn: Record<keyof typeof navZhCN, Message> = {
  'tourNav.label': 'Pages of this tour',
  'tourNav.itinerary': 'Itinerary',
  'tourNav.editor': 'Edit',
  'tourNav.board': 'Scoring progress',
  'tourNav.boardRankVote': 'Voting progress',
  'tourNav.rankings': 'Rankings',
  'tourNav.bulletin': 'Bulletin',

  'deskHome.edit': 'Edit',
  'deskHome.board': 'Scoring progress',
  'deskHome.boardRankVote': 'Voting progress',
  'deskHome.results': 'Rankings & bulletin',
  'deskHome.export': 'Export',
  'deskHome.exportTitle': 'Export the rankings: {tour}',
  'deskHome.exportRules': 'Computed with the ranking rules saved for this tour, exported as an Excel workbook.',
  'deskHome.exportComputing': 'Computing the rankings…',
  'deskHome.exportMissingSheets': {
    one: '{count} score sheet has not been submitted yet: the export holds the results so far.',
    other: '{count} score sheets have not been submitted yet: the export holds the results so far.',
  },
  'deskHome.exportMissingBallots': {
    one: '{count} ballot has not been submitted yet: the export holds the results so far.',
    other: '{count} ballots have not been submitted yet: the export holds the results so far.',
  },
  'deskHome.exportFailed': 'Could not compute the rankings: {reason}',
  'deskHome.exportClose': 'Close',
  'deskHome.notScored': 'Study tours are not scored',

  'demo.badge': 'Demo',
  'demo.badgeHint': 'Demo tour: for trying the app and training, not real data',
  'demoCleanup.title': 'Demo data removed from this computer',
  'demoCleanup.removed': {
    one: 'This computer is connected to a real server: the demo tour kept here ({names}) has been removed.',
    other: 'This computer is connected to a real server: the {count} demo tours kept here ({names}) have been removed.',
  },
  'demoCleanup.kept': {
    one: 'The demo tour “{names}” holds {count} item that was never synced: it is kept and marked “Demo”. It will not reach the real server: after signing in, see and discard it on the Sync page.',
    other: 'The demo tour “{names}” holds {count} items that were never synced: they are kept and marked “Demo”. They will not reach the real server: after signing in, see and discard them on the Sync page.',
  },
  'demoCleanup.dismiss': 'Got it',

  'signInScreen.title': 'Sign in',
  'signInScreen.intro':
    'Sign in with the account the secretariat gave you. Your tours are then synced to this computer, and you can score, take photos and write notes without a network.',
  'signInScreen.checking': 'Connecting to the server…',
  'signInScreen.recentTitle': 'Accounts that signed in on this computer',
  'signInScreen.recentHint': 'Pick your account, then enter your password.',
  'signInScreen.switchTitle': 'Switch user',
  'signInScreen.switchHint':
    'Everyone signs in with their own account, so that scores, photos and notes reach the server under their own name. Before switching, check that the top right says “Synced”.',
  'signInScreen.back': 'Back to settings',

  'tours.deskSubtitle': 'Every tour kept on this computer',
  'tours.deskCallout': 'You are signed in as the secretariat: create and edit tours, follow the scoring, rankings and bulletins on the {deskLink}.',
  'tours.deskLink': 'secretariat desk',
  'tours.deskEmpty': 'No tours on this computer yet. Create one on the {deskLink}, or sync.',
  'tour.results.rankings': 'Rankings',
  'tour.results.bulletin': 'Bulletin',
  'tour.results.desk': 'Edit on the secretariat desk',

  'pending.sheets': { one: '{count} score sheet', other: '{count} score sheets' },
  'pending.ballots': { one: '{count} ballot', other: '{count} ballots' },
  'pending.notes': { one: '{count} note', other: '{count} notes' },
  'pending.photos': { one: '{count} photo', other: '{count} photos' },
  'pending.tours': { one: '{count} tour', other: '{count} tours' },
  'pending.stops': { one: '{count} project', other: '{count} projects' },
  'pending.units': { one: '{count} unit', other: '{count} units' },
  'pending.scorers': { one: '{count} participant', other: '{count} participants' },
  'pending.separator': ', ',
  'pending.toSync': '{list} to sync',
  'pending.toSyncMore': { one: '{list} and {count} more kind to sync', other: '{list} and {count} more kinds to sync' },
  'pending.nothing': 'Everything on this computer is synced',
  'pending.photoBytes': { one: 'of which {count} photo’s original to upload ({size})', other: 'of which {count} photos’ originals to upload ({size})' },
};
