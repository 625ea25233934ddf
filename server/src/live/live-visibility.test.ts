/**
 * The live channel's verdicts against hand-built access (the rules are pull's: sync/access.ts).
 */
import { describe, expect, it } from 'vitest';
import type { TourStatus } from '@shared/domain/schemas';
import type { TourParticipation, ViewerAccess } from '../sync/access.js';
import type { ChangedRecord, CommittedChanges } from './change-feed.js';
import { changedAccessTours, isAccessStale, isAnyChangeVisible } from './live-visibility.js';

function participant(tours: Array<{ tourId: string; status: TourStatus; scorerIds?: string[]; removed?: string[]; isGone?: boolean }>): ViewerAccess {
  const map = new Map<string, TourParticipation>();
  for (const t of tours) {
    map.set(t.tourId, {
      tourId: t.tourId,
      status: t.status,
      scorerIds: new Set(t.scorerIds ?? ['p1']),
      isScorer: true,
      isGone: t.isGone ?? false,
      removedScorerIds: new Set(t.removed ?? []),
    });
  }
  return { viewer: { id: 'u1', role: 'scorer' }, isStaff: false, tours: map };
}
const staff: ViewerAccess = { viewer: { id: 'sec', role: 'secretariat' }, isStaff: true, tours: new Map() };

const record = (r: Partial<ChangedRecord> & Pick<ChangedRecord, 'collection' | 'id'>): ChangedRecord => ({ tourId: 't1', deleted: false, scorerId: null, userIds: [], ...r });
const batch = (records: ChangedRecord[], reannounced: CommittedChanges['reannounced'] = []): CommittedChanges => ({ clientId: 'laptop', records, reannounced });

describe('isAnyChangeVisible', () => {
  const otherSheet = record({ collection: 'sheets', id: 'sheet:t1:s1:p2', scorerId: 'p2' });
  const ownSheet = record({ collection: 'sheets', id: 'sheet:t1:s1:p1', scorerId: 'p1' });
  const note = record({ collection: 'notes', id: 'n1' });

  it('staff: every change', () => {
    expect(isAnyChangeVisible(staff, batch([otherSheet]))).toBe(true);
    expect(isAnyChangeVisible(staff, batch([], [{ tourId: 't9', collections: ['units'] }]))).toBe(true);
  });

  it("a scorer: never another scorer's sheet while blind; their own, and the tour's notes", () => {
    const access = participant([{ tourId: 't1', status: 'scoring' }]);
    expect(isAnyChangeVisible(access, batch([otherSheet]))).toBe(false);
    expect(isAnyChangeVisible(access, batch([ownSheet]))).toBe(true);
    expect(isAnyChangeVisible(access, batch([otherSheet, note]))).toBe(true);
    expect(isAnyChangeVisible(participant([{ tourId: 't1', status: 'results_published' }]), batch([otherSheet]))).toBe(true);
  });

  it('nothing of a draft tour, of a tour one does not take part in, or of a tour one left (but its tombstones)', () => {
    expect(isAnyChangeVisible(participant([{ tourId: 't1', status: 'draft' }]), batch([note]))).toBe(false);
    expect(isAnyChangeVisible(participant([{ tourId: 't2', status: 'scoring' }]), batch([note]))).toBe(false);
    const left = participant([{ tourId: 't1', status: 'scoring', scorerIds: [], removed: ['p1'], isGone: true }]);
    expect(isAnyChangeVisible(left, batch([note]))).toBe(false);
    expect(isAnyChangeVisible(left, batch([record({ collection: 'scorers', id: 'p1', deleted: true })]))).toBe(true);
  });

  it('re-announcements: tour content once the tour is visible; sheets only once results are published', () => {
    const scoring = participant([{ tourId: 't1', status: 'scoring' }]);
    expect(isAnyChangeVisible(scoring, batch([], [{ tourId: 't1', collections: ['units', 'stops'] }]))).toBe(true);
    expect(isAnyChangeVisible(scoring, batch([], [{ tourId: 't1', collections: ['sheets', 'ballots'] }]))).toBe(false);
    expect(isAnyChangeVisible(participant([{ tourId: 't1', status: 'results_published' }]), batch([], [{ tourId: 't1', collections: ['sheets'] }]))).toBe(true);
    expect(isAnyChangeVisible(participant([{ tourId: 't1', status: 'draft' }]), batch([], [{ tourId: 't1', collections: ['units'] }]))).toBe(false);
  });
});

describe('isAccessStale', () => {
  it('when a participant record names the user, or a tour they take part in changed', () => {
    const access = participant([{ tourId: 't1', status: 'scoring' }]);
    const assigned = changedAccessTours(batch([record({ collection: 'scorers', id: 'p7', userIds: ['u1'] })]));
    expect(isAccessStale(access, assigned)).toBe(true);
    expect(isAccessStale(access, changedAccessTours(batch([record({ collection: 'scorers', id: 'p8', userIds: ['u2'] })])))).toBe(false);
    expect(isAccessStale(access, changedAccessTours(batch([record({ collection: 'tours', id: 't1', tourId: 't1' })])))).toBe(true);
    expect(isAccessStale(access, changedAccessTours(batch([record({ collection: 'tours', id: 't2', tourId: 't2' })])))).toBe(false);
    expect(isAccessStale(staff, assigned)).toBe(false);
  });
});
