/**
 * The rank-vote ballot (排序投票): for tours whose rules say `method: 'rankVote'`, each scorer
 * ranks the units instead of filling score sheets; rank r earns 100 − 3(r − 1) points.
 *
 * What must stay true:
 * - One ballot per (tour, scorer, ranking list); its id is derived by `ballotId`, so two laptops
 *   of one scorer can never create two ballots for the same list (same rule as score sheets).
 * - `group` names the ranking list the ballot ranks: a unit group (县组 / 区组 …) when the tour
 *   ranks within groups, where null is the default group (units without a group); null when the
 *   tour ranks all units in one list.
 * - `unitIds` is the scorer's order, best first, without repeats: only the units the scorer has
 *   placed themselves. The app never fills in an order (an untouched default is not a vote), so
 *   a draft may hold some of the list's units or none yet. A submitted ballot ranks every unit
 *   of its list; under recusal the scorer's own unit may be left out (or is skipped if present).
 *   The server refuses a submitted ballot that does not (shared/ranking/ballot-order-check.ts).
 * - Ballots written by older releases (always a complete order, possibly never reordered) read
 *   as they are: the schema only got looser (an empty draft), no field was added.
 * - Only `submitted` ballots count, exactly like score sheets (draft → submitted → reopened).
 */
import { z } from 'zod';
import { idSchema, isoDateTimeSchema, sheetStatusSchema, text } from './schemas';

export const rankBallotSchema = z.object({
  id: idSchema,
  tourId: idSchema,
  scorerId: idSchema,
  /** ranking list: a unit group, or null (default group / the single overall list) */
  group: text().trim().min(1).max(100).nullable().default(null),
  /** unit ids the scorer placed, best first (a draft may be partial, even empty) */
  unitIds: z
    .array(idSchema)
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'a unit appears twice on the ballot' }),
  status: sheetStatusSchema.default('draft'),
  submittedAt: isoDateTimeSchema.nullable().default(null),
  updatedAt: isoDateTimeSchema,
  /** as on score sheets: why the secretariat last reopened it (server-written only) */
  reopenReason: text().max(1000).nullish(),
}).refine((ballot) => ballot.status !== 'submitted' || ballot.unitIds.length > 0, { message: 'a submitted ballot ranks at least one unit', path: ['unitIds'] });
export type RankBallot = z.infer<typeof rankBallotSchema>;

/** Deterministic ballot id: the same (tour, scorer, list) always gives the same id. */
export function ballotId(tourId: string, scorerId: string, group: string | null): string {
  return `ballot:${tourId}:${scorerId}:${group ?? ''}`;
}
