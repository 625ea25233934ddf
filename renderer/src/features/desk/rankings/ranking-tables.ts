/**
 * The desk's tables, from the shared engine's output: what the rankings page shows, what the
 * workbook writes and what the bulletin prints. One mapping, so the screen, the .xlsx and the
 * PDF can never disagree (the tests compare all three with hand-worked figures).
 *
 * What must stay true:
 * - Figures are the engine's displayed values (rounded half up to two decimals): `value` is
 *   `hundredths / 100`, the number a spreadsheet shows with a 0.00 format, and `display` its text.
 * - Rows come in the engine's order, which is the tour's own order: lists by the order the
 *   itinerary reaches their group, rows by rank, then itinerary order; scorers in assignment
 *   order. Nothing here re-sorts by name (pinyin). A shared rank is marked `isTie`.
 * - Project lists and unit lists are separate (rules.projectScope / rules.unitScope).
 */
import type { RankBallot } from '@shared/domain/rank-vote';
import { noteKindLabels, type Note, type RankingRules, type RankScope, type Scorer, type ScoreSheet, type Stop, type Tour, type Unit } from '@shared/domain/schemas';
import { compareScorers, compareStops, groupsInTourOrder } from '@shared/domain/tour-order';
import type { Score, TourRankings } from '@shared/ranking';
import { findScorerDeviations, type ScorerDeviation } from '@shared/ranking/scorer-deviation';
import { buildBallotRows, type BallotRow } from './ballot-rows';
import { shownListScope } from './list-scope';

export interface Figure {
  /** the displayed value as a number (two decimals), for spreadsheets */
  value: number;
  /** "87.13" */
  display: string;
}

export interface ProjectRow {
  stopId: string;
  rank: number | null;
  /** the rank is shared with another project of the list */
  isTie: boolean;
  name: string;
  unitName: string;
  /** the unit's ranking group (null: none); shown where a list spans groups */
  group: string | null;
  category: string;
  score: Figure | null;
  sheetsCounted: number;
  trimmed: boolean;
  /** criterion key → mean */
  criterionMeans: Record<string, Figure | null>;
  missing: number;
}

export interface UnitRow {
  unitId: string;
  rank: number | null;
  isTie: boolean;
  name: string;
  group: string | null;
  projects: number;
  onSite: Figure | null;
  indicator: Figure | null;
  score: Figure | null;
  /** why a unit has no rank */
  unranked: string | null;
  /** rank-vote method: the ballots that count for the unit; null for the score method */
  ballots: number | null;
  criterionMeans: Record<string, Figure | null>;
}

/** Where a list ranks: over the whole tour, or one unit group ("县组"; null = units without a group). */
export interface ListScope {
  scope: RankScope;
  /** the unit group; null for the default group and for a list over the whole tour */
  group: string | null;
}

/** A list of ranked projects (rules.projectScope). */
export interface ProjectListTable extends ListScope {
  projects: ProjectRow[];
}

/** A list of ranked units (rules.unitScope). */
export interface UnitListTable extends ListScope {
  units: UnitRow[];
}

export type SheetFate = 'counted' | 'droppedHighest' | 'droppedLowest' | 'excluded' | 'recused' | 'draft' | 'reopened';

/** One scorer's sheet for one project: the desk's per-project detail and the raw-sheets sheet. */
export interface SheetRow {
  sheetId: string | null;
  stopId: string;
  stopName: string;
  unitName: string;
  scorerId: string;
  scorerName: string;
  /** criterion key → points as given */
  scores: Record<string, number | null>;
  total: Figure | null;
  fate: SheetFate;
  status: ScoreSheet['status'] | null;
  submittedAt: string | null;
}

export interface ScorerRow {
  scorerId: string;
  name: string;
  /** 职务, when the secretariat's list gave one */
  post: string | null;
  homeUnitName: string | null;
  weightGroup: string | null;
  submitted: number;
  counted: number;
  dropped: number;
  excluded: number;
  recused: number;
  missing: number;
  meanGiven: Figure | null;
  deviation: ScorerDeviation | null;
}

export interface CriterionColumn {
  key: string;
  name: string;
  max: number;
}

export interface DeskTables {
  tourId: string;
  tourName: string;
  /** how the tour ranks: 'score' (project sheets) or 'rankVote' (ballots rank the units; no project rows) */
  method: TourRankings['method'];
  /** the rules these tables were computed with (saved or trial) */
  rules: RankingRules;
  /** the template's criteria; none for a rank-vote tour (ballots have no criteria) */
  criteria: CriterionColumn[];
  /** in tour order; none for a rank-vote tour */
  projectLists: ProjectListTable[];
  /** in tour order */
  unitLists: UnitListTable[];
  /** the tour's unit groups in tour order (null = units without a group) */
  groups: (string | null)[];
  /** every expected or given sheet of the scored projects, in itinerary then scorer order (built on first read) */
  readonly sheets: SheetRow[];
  /** one project's rows of `sheets` (scorer order), built for that project alone: what the page shows */
  sheetsOfStop(stopId: string): SheetRow[];
  /** rank-vote: every ballot (and missing one) unit by unit, in list, then assignment order (built on first read); empty for the score method */
  readonly ballots: BallotRow[];
  scorers: ScorerRow[];
  flaggedScorers: number;
  missingCount: number;
  hasErrors: boolean;
}

export function toFigure(score: Score | null | undefined): Figure | null {
  return score ? { value: score.hundredths / 100, display: score.display } : null;
}

export interface DeskTablesInput {
  tour: Tour;
  units: readonly Unit[];
  stops: readonly Stop[];
  scorers: readonly Scorer[];
  sheets: readonly ScoreSheet[];
  /** rank-vote ballots (the 投票明细) */
  ballots?: readonly RankBallot[];
  rankings: TourRankings;
}

export function buildDeskTables({ tour, units, stops, scorers, sheets, ballots = [], rankings }: DeskTablesInput): DeskTables {
  const unitById = new Map(units.map((u) => [u.id, u]));
  const stopById = new Map(stops.map((s) => [s.id, s]));
  const scorerById = new Map(scorers.map((s) => [s.id, s]));
  // assignment order (Scorer.order): how every per-scorer list reads
  const scorerOrder = new Map([...scorers].sort(compareScorers).map((s, i) => [s.id, i]));
  const scorerPosition = (id: string) => scorerOrder.get(id) ?? Number.MAX_SAFE_INTEGER;
  const criteria = rankings.method === 'rankVote' ? [] : (tour.template?.criteria ?? []).map((c) => ({ key: c.key, name: c.name, max: c.max }));
  const projectById = new Map(rankings.projects.map((p) => [p.stopId, p]));
  const unitRankingById = new Map(rankings.units.map((u) => [u.unitId, u]));

  const means = (list: { key: string; mean: Score | null }[]): Record<string, Figure | null> =>
    Object.fromEntries(list.map((m) => [m.key, toFigure(m.mean)]));
  const tieFlags = <T extends { rank: number | null }>(rows: T[]): T[] => {
    const counts = new Map<number, number>();
    for (const r of rows) if (r.rank !== null) counts.set(r.rank, (counts.get(r.rank) ?? 0) + 1);
    return rows.map((r) => ({ ...r, isTie: r.rank !== null && (counts.get(r.rank) ?? 0) > 1 }));
  };

  const projectLists: ProjectListTable[] = rankings.projectLists.map((list) => {
    const projects = list.stopIds.flatMap((stopId): ProjectRow[] => {
      const p = projectById.get(stopId);
      const stop = stopById.get(stopId);
      if (!p || !stop) return [];
      return [
        {
          stopId,
          rank: p.rank,
          isTie: false,
          name: stop.name,
          unitName: unitById.get(stop.unitId)?.name ?? stop.unitId,
          group: unitById.get(stop.unitId)?.group ?? null,
          category: stop.category,
          score: toFigure(p.score),
          sheetsCounted: p.sheetsCounted,
          trimmed: p.trimmed,
          criterionMeans: means(p.criterionMeans),
          missing: p.missingScorers.length,
        },
      ];
    });
    return { ...shownListScope(list, rankings.projectLists), projects: tieFlags(projects) };
  });
  const unitLists: UnitListTable[] = rankings.unitLists.map((list) => {
    const unitRows = list.unitIds.flatMap((unitId): UnitRow[] => {
      const u = unitRankingById.get(unitId);
      if (!u) return [];
      return [
        {
          unitId,
          rank: u.rank,
          isTie: false,
          name: unitById.get(unitId)?.name ?? unitId,
          group: u.group,
          projects: u.projects.filter((p) => p.counted).length,
          onSite: toFigure(u.onSite),
          indicator: toFigure(u.indicator),
          score: toFigure(u.score),
          unranked: u.unrankedReason,
          ballots: u.votes ? u.votes.ballotsCounted : null,
          criterionMeans: means(u.criterionMeans),
        },
      ];
    });
    return { ...shownListScope(list, rankings.unitLists), units: tieFlags(unitRows) };
  });

  // per project: every scorer's sheet with its fate (counted / dropped / excluded / recused / missing)
  // built on first read: the page needs one project's rows at a time, the export all of them,
  // and a rule change (recompute) should not pay for 24,000 rows nobody looks at yet
  let sheetLookup: { byId: Map<string, ScoreSheet>; byStopScorer: Map<string, ScoreSheet> } | null = null;
  const lookup = () =>
    (sheetLookup ??= {
      byId: new Map(sheets.map((s) => [s.id, s])),
      byStopScorer: new Map(sheets.map((s) => [`${s.stopId}\u0000${s.scorerId}`, s])),
    });
  const buildStopRows = (stop: Stop): SheetRow[] => {
    const p = projectById.get(stop.id);
    if (!p) return [];
    const { byId, byStopScorer } = lookup();
    const base = { stopId: stop.id, stopName: stop.name, unitName: unitById.get(stop.unitId)?.name ?? stop.unitId };
    const rows: SheetRow[] = [];
    // plain loops, no Object.fromEntries / spreads: this runs for every sheet of the tour (24,000 in the benchmark)
    const row = (scorerId: string, sheet: ScoreSheet | undefined, fate: SheetFate, total: Figure | null): SheetRow => {
      const scores: Record<string, number | null> = {};
      if (sheet) for (const c of criteria) scores[c.key] = sheet.scores[c.key] ?? null;
      return {
        stopId: base.stopId,
        stopName: base.stopName,
        unitName: base.unitName,
        sheetId: sheet?.id ?? null,
        scorerId,
        scorerName: scorerById.get(scorerId)?.name ?? scorerId,
        scores,
        total,
        fate,
        status: sheet?.status ?? null,
        submittedAt: sheet?.submittedAt ?? null,
      };
    };
    for (const s of p.sheets) rows.push(row(s.scorerId, byId.get(s.sheetId), s.fate, toFigure(s.total)));
    for (const s of p.excludedSheets) rows.push(row(s.scorerId, byId.get(s.sheetId), 'excluded', null));
    for (const s of p.recusedScorers) rows.push(row(s.scorerId, s.hadSheet ? byStopScorer.get(`${stop.id}\u0000${s.scorerId}`) : undefined, 'recused', null));
    for (const s of p.missingScorers) {
      const sheet = byStopScorer.get(`${stop.id}\u0000${s.scorerId}`);
      rows.push(row(s.scorerId, sheet, s.status === 'reopened' ? 'reopened' : 'draft', null));
    }
    rows.sort((a, b) => scorerPosition(a.scorerId) - scorerPosition(b.scorerId));
    return rows;
  };
  const buildSheetRows = (): SheetRow[] => {
    const sheetRows: SheetRow[] = [];
    const itinerary = [...stops].sort(compareStops);
    for (const stop of itinerary) sheetRows.push(...buildStopRows(stop));
    return sheetRows;
  };
  let sheetRowsCache: SheetRow[] | null = null;

  const deviations = new Map(findScorerDeviations(rankings).map((d) => [d.scorerId, d]));
  // the engine lists scorers in assignment order; rows follow it
  const scorerRows: ScorerRow[] = rankings.scorers.map((s) => {
    const scorer = scorerById.get(s.scorerId);
    return {
      scorerId: s.scorerId,
      name: scorer?.name ?? s.scorerId,
      post: scorer?.post || null,
      homeUnitName: s.homeUnitId ? (unitById.get(s.homeUnitId)?.name ?? s.homeUnitId) : null,
      weightGroup: s.weightGroup,
      submitted: s.submitted,
      counted: s.counted,
      dropped: s.dropped,
      excluded: s.excluded,
      recused: s.recused,
      missing: s.missing,
      meanGiven: toFigure(s.meanGiven),
      deviation: deviations.get(s.scorerId) ?? null,
    };
  });
  let ballotRowsCache: BallotRow[] | null = null;

  return {
    tourId: tour.id,
    tourName: tour.name,
    method: rankings.method,
    rules: rankings.rules,
    criteria,
    projectLists,
    unitLists,
    groups: groupsInTourOrder(units, stops),
    get sheets() {
      sheetRowsCache ??= buildSheetRows();
      return sheetRowsCache;
    },
    sheetsOfStop(stopId: string) {
      if (sheetRowsCache) return sheetRowsCache.filter((r) => r.stopId === stopId);
      const stop = stopById.get(stopId);
      return stop ? buildStopRows(stop) : [];
    },
    get ballots() {
      ballotRowsCache ??= rankings.method === 'rankVote' ? buildBallotRows({ tour, units, scorers, ballots, rankings }) : [];
      return ballotRowsCache;
    },
    scorers: scorerRows,
    flaggedScorers: scorerRows.filter((s) => s.deviation?.isFlagged).length,
    missingCount: rankings.missingCount,
    hasErrors: rankings.hasErrors,
  };
}

/** The list's heading: the group name, or a fallback for a list over the whole tour / the default group. */
export function listTitle(list: ListScope, labels: { overall: string; defaultGroup: string }): string {
  if (list.scope === 'tour') return labels.overall;
  return list.group ?? labels.defaultGroup;
}

/** Notes of a stop grouped by kind, for the bulletin (亮点 / 问题 / 建议), oldest first. */
export function notesByKind(notes: readonly Note[]): { kind: Note['kind']; label: string; texts: string[] }[] {
  const live = notes.filter((n) => n.deletedAt === null).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (['highlight', 'problem', 'suggestion'] as const)
    .map((kind) => ({ kind, label: noteKindLabels[kind], texts: live.filter((n) => n.kind === kind).map((n) => n.text) }))
    .filter((g) => g.texts.length > 0);
}
