/**
 * A generated tour of any size, for the benchmark and for tests of large inputs. Deterministic
 * for a given seed. Not used by the app.
 */
import { ballotId, type RankBallot } from '../domain/rank-vote';
import { sheetId, type RankingRules, type Scorer, type ScoreSheet, type Stop, type Tour, type Unit } from '../domain/schemas';
import type { RankingInput } from './types';

export interface SyntheticTourOptions {
  projects: number;
  scorers: number;
  criteria: number;
  /** units; projects are spread evenly */
  units?: number;
  /** unit groups (县组 / 区组 …) */
  unitGroups?: number;
  /** scorer weight groups; 0 = no group weights */
  weightGroups?: number;
  /** share of scorers who come from a unit (and recuse) */
  homeUnitShare?: number;
  /** share of sheets still in draft */
  draftShare?: number;
  rules?: Partial<RankingRules>;
  seed?: number;
}

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticTour(options: SyntheticTourOptions): Required<Omit<RankingInput, 'rules'>> & { rules: RankingRules } {
  const random = seededRandom(options.seed ?? 1);
  const unitCount = options.units ?? Math.max(1, Math.round(options.projects / 10));
  const unitGroups = options.unitGroups ?? 3;
  const weightGroups = options.weightGroups ?? 3;
  const tourId = 'bench-tour';
  const at = '2021-12-08T09:30:00.000Z';

  // Criteria of equal size adding up to 100, on a 0.5 step.
  const perCriterion = Math.floor(200 / options.criteria) / 2;
  const criteria = Array.from({ length: options.criteria }, (_, i) => ({
    key: `c${i + 1}`,
    name: `指标${i + 1}`,
    max: perCriterion,
    step: 0.5,
    guidance: '',
  }));

  const groupWeights: Record<string, number> | null =
    weightGroups === 0 ? null : Object.fromEntries(Array.from({ length: weightGroups }, (_, g) => [`w${g + 1}`, [0.5, 0.3, 0.2, 0.1][g] ?? 0.1]));
  const rules: RankingRules = {
    method: 'score',
    trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 },
    groupWeights,
    recusal: true,
    unitScore: 'mean',
    indicatorWeight: 0,
    projectScope: 'group',
    unitScope: 'group',
    tieBreakCriterion: null,
    ...options.rules,
  };
  const tour: Tour = {
    id: tourId,
    name: '基准观摩',
    kind: 'scored',
    startDate: '2021-12-08',
    endDate: '2021-12-10',
    status: 'closed',
    template: { id: 'tpl', name: '评议表', criteria },
    rules,
  };

  const units: Unit[] = Array.from({ length: unitCount }, (_, u) => ({
    id: `u${String(u + 1).padStart(3, '0')}`,
    tourId,
    name: `单位${u + 1}`,
    group: unitGroups === 0 ? null : `组${(u % unitGroups) + 1}`,
    indicatorScore: Math.round(random() * 4000) / 100 + 60,
  }));

  const stops: Stop[] = Array.from({ length: options.projects }, (_, p) => ({
    id: `p${String(p + 1).padStart(4, '0')}`,
    tourId,
    unitId: units[p % unitCount]!.id,
    day: `2021-12-${String(8 + (p % 3)).padStart(2, '0')}`,
    order: Math.floor(p / 3) + 1,
    name: `项目${p + 1}`,
    category: '工业',
    totalInvestment: Math.round(random() * 200000) / 10,
    completedInvestment: null,
    startDate: null,
    content: '',
    lat: null,
    lng: null,
    address: '',
    briefer: '',
  }));

  const scorers: Scorer[] = Array.from({ length: options.scorers }, (_, s) => ({
    id: `s${String(s + 1).padStart(3, '0')}`,
    tourId,
    userId: `user${s + 1}`,
    name: `评委${s + 1}`,
    role: 'scorer',
    homeUnitId: random() < (options.homeUnitShare ?? 0.3) ? units[Math.floor(random() * unitCount)]!.id : null,
    weightGroup: weightGroups === 0 ? null : `w${(s % weightGroups) + 1}`,
  }));

  const sheets: ScoreSheet[] = [];
  const steps = perCriterion * 2;
  for (const stop of stops) {
    const quality = 0.6 + random() * 0.35;
    for (const scorer of scorers) {
      const scores: Record<string, number> = {};
      for (const c of criteria) {
        const raw = Math.round((quality + (random() - 0.5) * 0.2) * steps);
        scores[c.key] = Math.min(steps, Math.max(0, raw)) / 2;
      }
      sheets.push({
        id: sheetId(tourId, stop.id, scorer.id),
        tourId,
        stopId: stop.id,
        scorerId: scorer.id,
        scores,
        status: random() < (options.draftShare ?? 0.02) ? 'draft' : 'submitted',
        comment: '',
        submittedAt: at,
        updatedAt: at,
      });
    }
  }

  // Ballots for the rank-vote method: every scorer ranks every list by a noisy unit strength.
  const strength = new Map(units.map((u) => [u.id, random()]));
  const isWithinGroups = rules.unitScope === 'group';
  const listGroups = isWithinGroups ? [...new Set(units.map((u) => u.group))] : [null];
  const ballots: RankBallot[] = [];
  for (const scorer of scorers) {
    for (const group of listGroups) {
      const ranked = units
        .filter((u) => !isWithinGroups || u.group === group)
        .map((u) => ({ id: u.id, key: strength.get(u.id)! + random() * 0.3 }))
        .sort((a, b) => b.key - a.key)
        .map((u) => u.id);
      ballots.push({
        id: ballotId(tourId, scorer.id, group),
        tourId,
        scorerId: scorer.id,
        group,
        unitIds: ranked,
        status: 'submitted',
        submittedAt: at,
        updatedAt: at,
      });
    }
  }

  return { tour, units, stops, scorers, sheets, ballots, rules };
}
