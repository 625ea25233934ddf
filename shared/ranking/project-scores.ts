/**
 * Score method, step 1: each project's score from the submitted sheets of its stop.
 *
 * Per stop, every scorer of the tour (role 'scorer', by id) is exactly one of:
 * - recused: rules.recusal and their home unit hosts the stop; any sheet of theirs is ignored;
 * - missing: no submitted sheet (none, a draft, or reopened by the secretariat);
 * - excluded: submitted, but unusable (incomplete, invalid score, no usable weight group);
 * - counted or dropped (trimming) — these make the score.
 * Ranks are assigned later, per list (./compute-rankings.ts).
 */
import type { ScoreSheet } from '../domain/schemas';
import { aggregate, partMeans, type Entry } from './aggregate';
import { PairGrid } from './collect';
import { compareText, type RankingIssue } from './issues';
import type { PreparedInput } from './prepare';
import type { ScorerTally } from './scorer-tally';
import type { Rational } from './rational';
import { toScore } from './score';
import { sheetReadings, type CollectedSheets } from './sheet-readings';
import type { CriterionSpec } from './sheet-values';
import type { DroppedSheet, ExcludedSheet, MissingScorer, ProjectRanking, RecusedScorer, SheetTotal } from './types';

export interface ProjectResult {
  ranking: ProjectRanking;
  /** exact per-criterion means (template order), null when unscored; units aggregate them */
  criterionMeans: Rational[] | null;
  /** exact tie-break mean; null when unscored or not configured */
  tieBreak: Rational | null;
}

export function scoreProjects(
  prepared: PreparedInput,
  sheets: readonly ScoreSheet[],
  specs: readonly CriterionSpec[],
  tieBreakIndex: number | null,
): ProjectResult[] {
  const { rules, issues } = prepared;
  // which sheet stands for each (stop, scorer) and what each sheet reads as do not depend on the
  // rules: both are kept for the next ranking of the same records (./sheet-readings.ts)
  const readings = sheetReadings(sheets, specs);
  const collected = readings.collected(collectionKey(prepared), sheets, () => collectSheets(prepared, sheets));
  const { grid, sheetAt } = collected;
  // copies: one run's output never shares an issue object with another's
  for (const issue of collected.issues) issues.push({ ...issue });
  const scorerCount = prepared.scorers.length;
  const unknownKeyCounts = new Map<string, number>();
  const totalScore = readings.totalScore;
  const partCount = specs.length;
  // entries point at their sheet's parts in the memo's buffer
  const parts = readings.parts;

  const results: ProjectResult[] = [];
  prepared.stops.forEach((stop, stopAt) => {
    const unit = prepared.unitsById.get(stop.unitId)!;
    const entries: Entry[] = [];
    const entryTallies: ScorerTally[] = [];
    const excludedSheets: ExcludedSheet[] = [];
    const recusedScorers: RecusedScorer[] = [];
    const missingScorers: MissingScorer[] = [];

    for (let scorerAt = 0; scorerAt < prepared.scorers.length; scorerAt++) {
      const info = prepared.scorers[scorerAt]!;
      if (!info.isScorer) continue;
      const tally = info.tally;
      const sheet = grid.at(stopAt, scorerAt);
      const isSubmitted = sheet !== undefined && sheet.status === 'submitted';
      if (rules.recusal && info.scorer.homeUnitId === stop.unitId) {
        recusedScorers.push({ scorerId: info.id, hadSheet: isSubmitted });
        tally.recused++;
        if (isSubmitted) {
          issues.push({
            severity: 'info',
            code: 'recusedSheet',
            message: `sheet ${sheet.id}: scorer ${info.id} comes from unit ${stop.unitId}, which hosts stop ${stop.id}; the sheet is ignored (recusal)`,
            recordId: sheet.id,
            stopId: stop.id,
            scorerId: info.id,
          });
        }
        continue;
      }
      if (!isSubmitted) {
        if (info.hasUsableGroup) {
          missingScorers.push({ scorerId: info.id, status: sheet === undefined ? 'none' : (sheet.status as 'draft' | 'reopened') });
          tally.missing++;
        }
        continue;
      }
      tally.submitted++;
      if (!info.hasUsableGroup) {
        excludedSheets.push({
          sheetId: sheet.id,
          scorerId: info.id,
          reason: 'noWeightGroup',
          detail: `weight group ${info.scorer.weightGroup === null ? '(none)' : `"${info.scorer.weightGroup}"`} has no weight`,
        });
        tally.excluded++;
        continue;
      }
      const at = sheetAt[stopAt * scorerCount + scorerAt]!;
      const partsAt = at * partCount;
      const reading = readings.read(at, sheet);
      const unknown = readings.unknownKeysAt(at);
      if (unknown !== undefined) {
        for (const key of unknown) unknownKeyCounts.set(key, (unknownKeyCounts.get(key) ?? 0) + 1);
      }
      if (typeof reading !== 'number') {
        excludedSheets.push({ sheetId: sheet.id, scorerId: info.id, reason: reading.reason, detail: reading.detail });
        tally.excluded++;
        issues.push({
          severity: 'error',
          code: reading.reason === 'incomplete' ? 'incompleteSheet' : 'invalidScore',
          message: `submitted sheet ${sheet.id} of scorer ${info.id} for stop ${stop.id} does not count: ${reading.detail}`,
          recordId: sheet.id,
          stopId: stop.id,
          scorerId: info.id,
        });
        continue;
      }
      const offStep = readings.offStepAt(at);
      if (offStep !== undefined) {
        issues.push({
          severity: 'warning',
          code: 'offStepScore',
          message: `sheet ${sheet.id}: ${offStep} not on the criterion's step; counted as given`,
          recordId: sheet.id,
          stopId: stop.id,
          scorerId: info.id,
        });
      }
      tally.givenSum += reading;
      tally.givenCount++;
      entries.push({
        id: sheet.id,
        scorerId: info.id,
        order: scorerAt,
        weightGroup: info.scorer.weightGroup,
        value: reading,
        partsAt,
        fate: 'counted',
      });
      entryTallies.push(tally);
    }

    const aggregation = aggregate(entries, rules.trim, prepared.weights);
    const sheetTotals: SheetTotal[] = [];
    const droppedSheets: DroppedSheet[] = [];
    // entries are in scorer-id order (prepared.scorers is)
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e]!;
      const fate = entry.fate;
      const total = totalScore(entry.value);
      sheetTotals.push({ sheetId: entry.id, scorerId: entry.scorerId, weightGroup: entry.weightGroup, total, fate });
      const tally = entryTallies[e]!;
      if (fate === 'counted') {
        tally.counted++;
      } else {
        tally.dropped++;
        droppedSheets.push({
          sheetId: entry.id,
          scorerId: entry.scorerId,
          weightGroup: entry.weightGroup,
          total,
          side: fate === 'droppedHighest' ? 'highest' : 'lowest',
        });
      }
    }
    const means = partMeans(aggregation, parts, partCount);
    const tieBreak = tieBreakIndex === null || means === null ? null : means[tieBreakIndex]!;
    if (aggregation.mean === null) {
      issues.push({
        severity: 'warning',
        code: 'unscoredProject',
        message: `stop ${stop.id} (${stop.name}) has no counted sheet yet; it is not ranked`,
        recordId: stop.id,
        stopId: stop.id,
        unitId: stop.unitId,
      });
    }

    results.push({
      criterionMeans: means,
      tieBreak,
      ranking: {
        stopId: stop.id,
        unitId: stop.unitId,
        group: unit.group,
        score: aggregation.mean === null ? null : toScore(aggregation.mean),
        rank: null,
        tieBreak: tieBreak === null ? null : toScore(tieBreak),
        sheetsCounted: aggregation.keptCount,
        trimmed: aggregation.trimmed,
        sheets: sheetTotals,
        droppedSheets,
        excludedSheets,
        recusedScorers,
        missingScorers,
        criterionMeans: specs.map((spec, i) => ({
          key: spec.key,
          name: spec.name,
          mean: means === null ? null : toScore(means[i]!),
        })),
        groups:
          prepared.weights === null
            ? []
            : aggregation.buckets.map((bucket) => ({
                weightGroup: bucket.weightGroup!,
                weight: bucket.weight,
                share: bucket.share,
                sheets: bucket.size,
                counted: bucket.kept.length,
                trimmed: bucket.trimmed,
                mean: toScore(bucket.mean),
              })),
      },
    });
  });

  for (const [key, count] of [...unknownKeyCounts].sort(([a], [b]) => compareText(a, b))) {
    issues.push({
      severity: 'warning',
      code: 'unknownCriterion',
      message: `${count} submitted sheet(s) score "${key}", which is not a criterion of the template; ignored`,
      recordId: key,
    });
  }
  return results;
}

/**
 * Everything `collectSheets` reads besides the sheets: the tour id, the stops and the scorers in
 * index order, and which scorers score. Equal keys give equal collections of the same sheets.
 */
function collectionKey(prepared: PreparedInput): string {
  const scorers = prepared.scorers.map((info) => `${info.id}\u0000${info.isScorer ? 1 : 0}`).join('\u0001');
  return `${prepared.tour.id}\u0002${prepared.stops.map((stop) => stop.id).join('\u0001')}\u0002${scorers}`;
}

/**
 * The sheet per (stop, scorer), and its position in `sheets` (`sheetAt`, by stop × scorer count
 * + scorer, where the grid has a sheet), with the issues of sheets that cannot belong anywhere.
 * Depends only on the records (see `collectionKey`), never on the rules.
 */
function collectSheets(prepared: PreparedInput, sheets: readonly ScoreSheet[]): CollectedSheets {
  const { tour, stopIndex, scorerIndex, scorers } = prepared;
  const issues: RankingIssue[] = [];
  const grid = new PairGrid<ScoreSheet>(stopIndex, scorerIndex);
  const sheetAt = new Int32Array(stopIndex.size * scorers.length);
  for (let i = 0; i < sheets.length; i++) {
    const sheet = sheets[i]!;
    if (sheet.tourId === tour.id) {
      const stopAt = stopIndex.get(sheet.stopId);
      const scorerAt = scorerIndex.get(sheet.scorerId);
      if (stopAt !== undefined && scorerAt !== undefined && scorers[scorerAt]!.isScorer) {
        grid.addAt(stopAt, scorerAt, sheet, sheet.stopId, sheet.scorerId);
        // the grid keeps one sheet per pair: remember where the kept one is
        if (grid.at(stopAt, scorerAt) === sheet) sheetAt[stopAt * scorers.length + scorerAt] = i;
        continue;
      }
    }
    issues.push(sheetProblem(prepared, sheet, tour.id));
  }
  for (const [stopId, scorerId, records] of grid.collided()) {
    const kept = grid.get(stopId, scorerId)!;
    issues.push({
      severity: 'error',
      code: 'duplicateSheet',
      message: `${records.length} sheets (${records.map((r) => r.id).sort().join(', ')}) for stop ${stopId} by scorer ${scorerId}; using ${kept.id} (${kept.status}, updated ${kept.updatedAt})`,
      recordId: kept.id,
      stopId,
      scorerId,
    });
  }
  return { grid, sheetAt, issues };
}

/** Why a sheet belongs to no (stop, scorer) pair of this tour; only called for such sheets. */
function sheetProblem(prepared: PreparedInput, sheet: ScoreSheet, tourId: string): RankingIssue {
  const at = { recordId: sheet.id, stopId: sheet.stopId, scorerId: sheet.scorerId };
  if (sheet.tourId !== tourId) {
    return { severity: 'warning', code: 'foreignTour', message: `sheet ${sheet.id} belongs to tour ${sheet.tourId}, not ${tourId}; ignored`, ...at };
  }
  if (!prepared.stopsById.has(sheet.stopId)) {
    return { severity: 'warning', code: 'unknownStop', message: `sheet ${sheet.id} is for unknown stop ${sheet.stopId}; ignored`, ...at };
  }
  if (!prepared.scorersById.has(sheet.scorerId)) {
    return { severity: 'warning', code: 'unknownScorer', message: `sheet ${sheet.id} is by ${sheet.scorerId}, who is not a scorer of this tour; ignored`, ...at };
  }
  return { severity: 'warning', code: 'observerSheet', message: `sheet ${sheet.id} is by observer ${sheet.scorerId}; observers do not score, ignored`, ...at };
}
