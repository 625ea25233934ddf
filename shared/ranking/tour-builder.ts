/**
 * A terse builder of tours for hand-worked ranking tables (tests, docs). Records are made with
 * the shared zod schemas, so every default is the real one. Not used by the app.
 */
import { ballotId, rankBallotSchema, type RankBallot } from '../domain/rank-vote';
import {
  rankingRulesSchema,
  scorerSchema,
  scoreSheetSchema,
  sheetId,
  stopSchema,
  tourSchema,
  unitSchema,
  type RankingRules,
  type Scorer,
  type ScoreSheet,
  type SheetStatus,
  type Stop,
  type Unit,
} from '../domain/schemas';
import type { RankingInput } from './types';

export type CriterionRow = [key: string, max: number, step: number];

const AT = '2021-12-08T10:00:00.000Z';

export class TourBuilder {
  readonly tourId = 't1';
  private readonly units: Unit[] = [];
  private readonly stops: Stop[] = [];
  private readonly scorers: Scorer[] = [];
  private readonly sheets: ScoreSheet[] = [];
  private readonly ballots: RankBallot[] = [];
  private rulesValue: RankingRules;

  constructor(
    private readonly criteria: readonly CriterionRow[],
    rules: Partial<RankingRules> = {},
  ) {
    // recusal and group ranking default on in the schema; tables state what they use
    this.rulesValue = rankingRulesSchema.parse(rules);
  }

  rules(rules: Partial<RankingRules>): this {
    this.rulesValue = rankingRulesSchema.parse({ ...this.rulesValue, ...rules });
    return this;
  }

  unit(id: string, options: { group?: string | null; indicator?: number | null } = {}): this {
    this.units.push(
      unitSchema.parse({ id, tourId: this.tourId, name: `单位${id}`, group: options.group ?? null, indicatorScore: options.indicator ?? null }),
    );
    return this;
  }

  stop(id: string, unitId: string, options: { investment?: number | null; day?: string; order?: number } = {}): this {
    this.stops.push(
      stopSchema.parse({
        id,
        tourId: this.tourId,
        unitId,
        day: options.day ?? '2021-12-08',
        order: options.order ?? this.stops.length + 1,
        name: `项目${id}`,
        totalInvestment: options.investment ?? null,
      }),
    );
    return this;
  }

  scorer(id: string, options: { home?: string | null; group?: string | null; role?: 'scorer' | 'observer' } = {}): this {
    this.scorers.push(
      scorerSchema.parse({
        id,
        tourId: this.tourId,
        userId: `user-${id}`,
        name: `评委${id}`,
        role: options.role ?? 'scorer',
        homeUnitId: options.home ?? null,
        weightGroup: options.group ?? null,
      }),
    );
    return this;
  }

  /** A sheet; `scores` are given in template order unless an object is passed. */
  sheet(
    stopId: string,
    scorerId: string,
    scores: readonly (number | null)[] | Record<string, number | null>,
    status: SheetStatus = 'submitted',
    extra: Partial<ScoreSheet> = {},
  ): this {
    const record = Array.isArray(scores)
      ? Object.fromEntries(this.criteria.map(([key], i) => [key, (scores as (number | null)[])[i] ?? null]))
      : scores;
    this.sheets.push(
      scoreSheetSchema.parse({
        id: sheetId(this.tourId, stopId, scorerId),
        tourId: this.tourId,
        stopId,
        scorerId,
        scores: record,
        status,
        submittedAt: status === 'submitted' ? AT : null,
        updatedAt: AT,
        ...extra,
      }),
    );
    return this;
  }

  ballot(scorerId: string, unitIds: readonly string[], options: { group?: string | null; status?: SheetStatus } = {}): this {
    const group = options.group ?? null;
    this.ballots.push(
      rankBallotSchema.parse({
        id: ballotId(this.tourId, scorerId, group),
        tourId: this.tourId,
        scorerId,
        group,
        unitIds,
        status: options.status ?? 'submitted',
        submittedAt: (options.status ?? 'submitted') === 'submitted' ? AT : null,
        updatedAt: AT,
      }),
    );
    return this;
  }

  input(): RankingInput {
    const tour = tourSchema.parse({
      id: this.tourId,
      name: '测试观摩',
      kind: 'scored',
      startDate: '2021-12-08',
      endDate: '2021-12-08',
      status: 'closed',
      template: {
        id: 'tpl',
        name: '评议表',
        criteria: this.criteria.map(([key, max, step]) => ({ key, name: `指标${key}`, max, step })),
      },
      rules: this.rulesValue,
    });
    return {
      tour,
      units: [...this.units],
      stops: [...this.stops],
      scorers: [...this.scorers],
      sheets: [...this.sheets],
      ballots: [...this.ballots],
    };
  }
}
