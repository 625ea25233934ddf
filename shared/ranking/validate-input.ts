/**
 * Validating raw records before ranking them, for callers that hold data from outside a trust
 * boundary (an imported file, a JSON export, a test fixture). Records the app stores are already
 * validated by Dexie repositories and the sync server; those callers use `computeRankings`
 * directly, which skips this (zod parsing 24,000 sheets costs more than the ranking itself).
 *
 * Policy: the tour and the rules must be valid, or nothing can be computed — `RankingInputError`.
 * Any other record that fails its schema is left out and reported as an 'invalidRecord' error,
 * so the secretariat sees the ranking and the list of records to fix.
 */
import type { z } from 'zod';
import { rankBallotSchema, type RankBallot } from '../domain/rank-vote';
import { rankingRulesSchema, scorerSchema, scoreSheetSchema, stopSchema, tourSchema, unitSchema } from '../domain/schemas';
import { computeRankings } from './compute-rankings';
import { sortIssues, type RankingIssue } from './issues';
import type { RankingInput, TourRankings } from './types';

export interface RawRankingInput {
  tour: unknown;
  units: readonly unknown[];
  stops: readonly unknown[];
  scorers: readonly unknown[];
  sheets: readonly unknown[];
  ballots?: readonly unknown[];
  /** rules to apply instead of the tour's */
  rules?: unknown;
}

export class RankingInputError extends Error {
  constructor(
    message: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(message);
    this.name = 'RankingInputError';
  }
}

function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`).join('; ');
}

/** Parses every record with the shared schemas; see the policy above. */
export function parseRankingInput(raw: RawRankingInput): { input: RankingInput; issues: RankingIssue[] } {
  const tour = tourSchema.safeParse(raw.tour);
  if (!tour.success) throw new RankingInputError(`invalid tour: ${describe(tour.error.issues)}`, tour.error.issues);
  let rules = tour.data.rules;
  if (raw.rules !== undefined) {
    const parsed = rankingRulesSchema.safeParse(raw.rules);
    if (!parsed.success) throw new RankingInputError(`invalid ranking rules: ${describe(parsed.error.issues)}`, parsed.error.issues);
    rules = parsed.data;
  }

  const issues: RankingIssue[] = [];
  function parseAll<T>(kind: string, schema: z.ZodType<T>, records: readonly unknown[]): T[] {
    const parsed: T[] = [];
    records.forEach((record, index) => {
      const result = schema.safeParse(record);
      if (result.success) {
        parsed.push(result.data);
        return;
      }
      const id = typeof record === 'object' && record !== null && typeof (record as { id?: unknown }).id === 'string'
        ? (record as { id: string }).id
        : `#${index}`;
      issues.push({
        severity: 'error',
        code: 'invalidRecord',
        message: `${kind} ${id} is invalid and left out: ${describe(result.error.issues)}`,
        recordId: id,
      });
    });
    return parsed;
  }

  const input: RankingInput = {
    tour: tour.data,
    rules,
    units: parseAll('unit', unitSchema, raw.units),
    stops: parseAll('stop', stopSchema, raw.stops),
    scorers: parseAll('scorer', scorerSchema, raw.scorers),
    sheets: parseAll('sheet', scoreSheetSchema, raw.sheets),
    ballots: parseAll<RankBallot>('ballot', rankBallotSchema, raw.ballots ?? []),
  };
  return { input, issues };
}

/** Validates raw records, then ranks them; invalid records appear as 'invalidRecord' errors. */
export function rankTour(raw: RawRankingInput): TourRankings {
  const { input, issues } = parseRankingInput(raw);
  const rankings = computeRankings(input);
  if (issues.length === 0) return rankings;
  const all = sortIssues([...issues, ...rankings.issues]);
  return { ...rankings, issues: all, hasErrors: true };
}
