/**
 * What a pushed mutation may do: authorisation per user and the domain rules a schema cannot
 * express (ids derived from their parts, references inside the tour, locked sheets, recusal).
 * Pure: the caller (push.ts) loads the context and applies the verdict.
 *
 * Rules (DESIGN.md § Sync, issue 4):
 * - admin / secretariat write every collection; scorers and observers never write tours, units,
 *   stops or participants (scorer records).
 * - Scorers and observers write only in tours they take part in that are not drafts: notes and
 *   photos of their own (authorId = their user id) on stops of that tour.
 * - Score sheets and ballots: only a participant with the scorer role, for their own scorer
 *   record, while the tour is published or scoring (after that only a sheet the secretariat
 *   reopened); never for a stop of their own unit when the rules say recusal.
 * - A submitted sheet or ballot does not change through push, for anybody: the secretariat
 *   reopens it (POST /api/sheets/:id/reopen, audited). Nor can push set 'reopened'.
 * - A ballot is submitted only with a complete order: every unit of its ranking list, each once
 *   and nothing else (the voter's own unit may be left out under recusal). The app never fills in
 *   an order, so this is what keeps a ballot its voter never ordered from counting
 *   (shared/ranking/ballot-order-check.ts). Drafts may hold any part of the order.
 * - Fields that say what a record belongs to (collections.ts immutableFields) never change.
 */
import { ballotId, type RankBallot } from '@shared/domain/rank-vote';
import { ballotListUnitIds, ballotOrderProblem, describeBallotOrderProblem } from '@shared/ranking/ballot-order-check';
import { submittedScoresIssues, validStoredHundredths } from '@shared/domain/score-input';
import { sheetId, type Role, type ScoreSheet, type Scorer, type Stop, type Tour, type Unit } from '@shared/domain/schemas';
import { immutableFields, type RecordCollection } from '@shared/sync/collections';
import type { VersionedRecord } from '@shared/sync/merge';
import type { Mutation, RejectionCode } from '@shared/sync/protocol';
import { isStaffRole } from './access.js';

export interface Actor {
  id: string;
  username: string;
  role: Role;
}

export interface Rejection {
  code: RejectionCode;
  reason: string;
}

export const reject = (code: RejectionCode, reason: string): Rejection => ({ code, reason });

/** What the rules need to know besides the mutation; loaded per mutation by push.ts. */
export interface RuleContext {
  actor: Actor;
  mutation: Mutation;
  /** the record before the mutation (null: new) */
  current: VersionedRecord | null;
  /** the record after merging, with data already parsed by the collection schema */
  next: VersionedRecord;
  /** data fields the merge changed */
  changedFields: readonly string[];
  /** the tour the record belongs to, current state (null: no such tour, or deleted) */
  tour: Tour | null;
  /** the actor's scorer records in that tour (not deleted) */
  ownScorers: readonly Scorer[];
  /** the stop named by the record's stopId, in that tour (null: none, deleted, or not needed) */
  stop: Stop | null;
  /** whether a unit id exists (not deleted) in the tour; for references of stops and scorers */
  hasUnit(unitId: string): boolean;
  /** whether a user account exists; for scorer records */
  hasUser(userId: string): boolean;
  /**
   * For a ballot being submitted: the tour's live units and the ballot's scorer record (null:
   * none); null for anything else (push.ts loads them only then).
   */
  ballotSubmission: { units: readonly Pick<Unit, 'id' | 'group'>[]; scorer: Scorer | null } | null;
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Scorers may address only their own sheets and ballots. Checked first, from the record id alone
 * (it is derived from the scorer record id, see sheetId / ballotId) and the user's own scorer
 * records, before the stored record is even looked at: the answer to a mutation of another
 * scorer's sheet never depends on whether that sheet exists or what state it is in (blind
 * scoring).
 */
export function checkOwnSheetId(collection: RecordCollection, tourId: string, recordId: string, ownScorers: readonly Scorer[]): Rejection | null {
  if (collection !== 'sheets' && collection !== 'ballots') return null;
  const isOwn = ownScorers.some((s) =>
    s.role === 'scorer' &&
    (collection === 'sheets'
      ? recordId.startsWith(`sheet:${tourId}:`) && recordId.endsWith(`:${s.id}`)
      : recordId.startsWith(`ballot:${tourId}:${s.id}:`)),
  );
  return isOwn ? null : reject('forbidden', collection === 'sheets' ? 'you can only write your own score sheets' : 'you can only write your own ballots');
}

/** Checks that hold for everybody: identity, immutable fields, references. */
export function checkRecordShape(ctx: RuleContext): Rejection | null {
  const { mutation, current, next } = ctx;
  const data = next.data;
  if (data.id !== mutation.recordId) return reject('invalid', `the record's id ${JSON.stringify(data.id)} differs from the mutation's recordId ${JSON.stringify(mutation.recordId)}`);
  const tourIdOfRecord = mutation.collection === 'tours' ? data.id : data.tourId;
  if (tourIdOfRecord !== mutation.tourId) {
    return reject('invalid', `the record belongs to tour ${JSON.stringify(tourIdOfRecord)}, not to the mutation's tour ${JSON.stringify(mutation.tourId)}`);
  }
  if (current) {
    const changedImmutable = immutableFields[mutation.collection].filter((f) => ctx.changedFields.includes(f));
    if (changedImmutable.length > 0) return reject('immutable', `${changedImmutable.join(', ')} of a ${singular(mutation.collection)} cannot change once it exists`);
  }
  if (mutation.collection !== 'tours' && !ctx.tour) return reject('not_found', `tour ${mutation.tourId} does not exist`);

  switch (mutation.collection) {
    case 'sheets': {
      const sheet = data as unknown as ScoreSheet;
      const expected = sheetId(sheet.tourId, sheet.stopId, sheet.scorerId);
      if (sheet.id !== expected) return reject('invalid', `a score sheet's id must be ${expected} (sheetId of tour, stop and scorer)`);
      if (!ctx.stop) return reject('not_found', `stop ${sheet.stopId} does not exist in this tour`);
      break;
    }
    case 'ballots': {
      const ballot = data as unknown as RankBallot;
      const expected = ballotId(ballot.tourId, ballot.scorerId, ballot.group);
      if (ballot.id !== expected) return reject('invalid', `a ballot's id must be ${expected} (ballotId of tour, scorer and group)`);
      break;
    }
    case 'notes':
    case 'photos':
      if (!ctx.stop) return reject('not_found', `stop ${str(data.stopId)} does not exist in this tour`);
      break;
    case 'stops': {
      const unitId = str(data.unitId);
      if (!next.deleted && (unitId === null || !ctx.hasUnit(unitId))) return reject('not_found', `unit ${unitId} does not exist in this tour`);
      break;
    }
    case 'scorers': {
      const userId = str(data.userId);
      if (!next.deleted && (userId === null || !ctx.hasUser(userId))) return reject('not_found', `there is no user account with id ${userId}`);
      const homeUnitId = str(data.homeUnitId);
      if (!next.deleted && homeUnitId !== null && !ctx.hasUnit(homeUnitId)) return reject('not_found', `home unit ${homeUnitId} does not exist in this tour`);
      break;
    }
    default:
      break;
  }
  return null;
}

/** Authorisation and the life cycle of sheets; null = allowed. Run after checkRecordShape. */
export function checkPermission(ctx: RuleContext): Rejection | null {
  const { actor, mutation, current, next } = ctx;
  const isStaff = isStaffRole(actor.role);
  const collection = mutation.collection;

  if (isStaff) {
    if (collection === 'sheets' || collection === 'ballots') return checkSheetLifecycle(ctx) ?? (collection === 'sheets' ? checkSheetScores(ctx) : checkBallotOrder(ctx));
    return null;
  }

  if (collection === 'tours' || collection === 'units' || collection === 'stops' || collection === 'scorers') {
    return reject('forbidden', `only the secretariat can change ${collection}`);
  }
  const tour = ctx.tour;
  if (!tour || tour.status === 'draft' || ctx.ownScorers.length === 0) return reject('forbidden', 'you are not assigned to this tour');

  if (collection === 'notes' || collection === 'photos') {
    const kind = collection === 'notes' ? 'notes' : 'photos';
    if (next.data.authorId !== actor.id || (current && current.data.authorId !== actor.id)) {
      return reject('forbidden', `you can only write your own ${kind}`);
    }
    return null;
  }

  // sheets and ballots
  const scorerId = str(next.data.scorerId);
  const scorer = ctx.ownScorers.find((s) => s.id === scorerId);
  if (actor.role !== 'scorer' || !scorer || scorer.role !== 'scorer') {
    return reject('forbidden', collection === 'sheets' ? 'you can only write your own score sheets' : 'you can only write your own ballots');
  }
  // after the ownership check, so that nobody learns anything about another scorer's sheet
  const locked = checkSheetLifecycle(ctx);
  if (locked) return locked;
  if (mutation.op === 'delete') return reject('forbidden', `a ${singular(collection)} cannot be deleted; leave it as a draft`);
  const wantsMethod = collection === 'sheets' ? 'score' : 'rankVote';
  if (tour.kind !== 'scored' || tour.rules.method !== wantsMethod) {
    return reject('tour_closed', collection === 'sheets' ? 'this tour is not scored with score sheets' : 'this tour does not use rank votes');
  }
  const isReopened = current?.data.status === 'reopened';
  if (tour.status !== 'published' && tour.status !== 'scoring' && !isReopened) {
    return reject('tour_closed', `scoring is closed for this tour (status ${tour.status})`);
  }
  if (collection === 'sheets' && tour.rules.recusal && scorer.homeUnitId !== null && ctx.stop?.unitId === scorer.homeUnitId) {
    return reject('recused', 'you do not score projects of your own unit (recusal)');
  }
  return collection === 'sheets' ? checkSheetScores(ctx) : checkBallotOrder(ctx);
}

/** Whether the ballot is being submitted by this mutation (status or order changed while submitted). */
export function isBallotSubmission(next: VersionedRecord, changedFields: readonly string[]): boolean {
  return !next.deleted && next.data.status === 'submitted' && (changedFields.includes('status') || changedFields.includes('unitIds'));
}

/** A submitted ballot ranks every unit of its list, each once, nothing else (own unit optional under recusal). */
function checkBallotOrder(ctx: RuleContext): Rejection | null {
  if (!isBallotSubmission(ctx.next, ctx.changedFields)) return null;
  const submission = ctx.ballotSubmission;
  const tour = ctx.tour;
  if (!submission || !tour) return reject('invalid', 'the ballot cannot be checked against its tour');
  const ballot = ctx.next.data as unknown as RankBallot;
  const own = tour.rules.recusal ? (submission.scorer?.homeUnitId ?? null) : null;
  const problem = ballotOrderProblem(ballot.unitIds, ballotListUnitIds(tour.rules, submission.units, ballot.group), own, true);
  return problem === null ? null : reject('invalid', `the ballot cannot be submitted: ${describeBallotOrderProblem(problem)}`);
}

/** Submitted is locked for everyone; 'reopened' is set only by the audited reopen. */
function checkSheetLifecycle(ctx: RuleContext): Rejection | null {
  const { current, next, changedFields } = ctx;
  const what = singular(ctx.mutation.collection);
  const isChanged = changedFields.length > 0 || (current !== null && current.deleted !== next.deleted);
  if (current?.data.status === 'submitted' && isChanged) {
    return reject('sheet_locked', `this ${what} has been submitted and is locked; the secretariat can reopen it`);
  }
  if (next.data.status === 'reopened' && current?.data.status !== 'reopened') {
    return reject('forbidden', `a ${what} is reopened only by the secretariat's reopen, with a reason`);
  }
  if (changedFields.includes('reopenReason')) {
    return reject('forbidden', `the reason a ${what} was reopened is written only by the secretariat's reopen`);
  }
  return null;
}

/** Scores fit the tour's template: valid values while a draft, complete when submitted. */
function checkSheetScores(ctx: RuleContext): Rejection | null {
  const { next, changedFields } = ctx;
  if (next.deleted) return null;
  const template = ctx.tour?.template;
  if (!template) return reject('invalid', 'the tour has no score sheet template');
  const scores = (next.data as unknown as ScoreSheet).scores;
  const isSubmitting = next.data.status === 'submitted' && (changedFields.includes('status') || changedFields.includes('scores'));
  if (isSubmitting) {
    const issues = submittedScoresIssues(template, scores);
    const keys = Object.keys(issues);
    if (keys.length > 0) {
      return reject('invalid', `the sheet cannot be submitted: ${keys.map((k) => `${k} ${describeScoreIssue(issues[k]!)}`).join(', ')}`);
    }
    return null;
  }
  if (!changedFields.includes('scores')) return null;
  const criteria = new Map(template.criteria.map((c) => [c.key, c]));
  for (const [key, value] of Object.entries(scores)) {
    const criterion = criteria.get(key);
    if (!criterion) return reject('invalid', `the template has no criterion ${key}`);
    if (value !== null && validStoredHundredths(criterion, value) === null) {
      return reject('invalid', `${key}: ${value} is not a valid score (0 to ${criterion.max}, in steps of ${criterion.step})`);
    }
  }
  return null;
}

function describeScoreIssue(code: string): string {
  switch (code) {
    case 'required':
      return 'is not scored';
    case 'range':
      return 'is above the maximum';
    case 'step':
      return 'is not on the step';
    default:
      return 'is not a valid score';
  }
}

export function singular(collection: RecordCollection): string {
  const names: Record<RecordCollection, string> = {
    tours: 'tour',
    units: 'unit',
    stops: 'stop',
    scorers: 'participant',
    sheets: 'score sheet',
    notes: 'note',
    photos: 'photo',
    ballots: 'ballot',
  };
  return names[collection];
}
