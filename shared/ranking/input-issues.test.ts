/**
 * Inconsistent input: what is left out, what is reported, and that nothing throws except an
 * unusable tour or rules object.
 */
import { describe, expect, it } from 'vitest';
import { scoreSheetSchema, sheetId } from '../domain/schemas';
import { computeRankings } from './compute-rankings';
import { TourBuilder } from './tour-builder';
import type { TourRankings } from './types';
import { parseRankingInput, rankTour, RankingInputError } from './validate-input';

function codes(result: TourRankings): string[] {
  return result.issues.map((i) => `${i.severity}:${i.code}:${i.recordId ?? ''}`);
}

/*
 * One criterion pair a (max 50, step 0.5), b (max 50, step 0.5); U1 with P1; scorers s1, s2, s3;
 * observer o1. Valid sheets: s1 40+40 = 80, s2 45+45 = 90 → P1 = 85.00.
 */
function base(): TourBuilder {
  const t = new TourBuilder([['a', 50, 0.5], ['b', 50, 0.5]], { recusal: true, trim: null });
  t.unit('U1').stop('P1', 'U1').scorer('s1').scorer('s2').scorer('s3').scorer('o1', { role: 'observer' });
  t.sheet('P1', 's1', [40, 40]).sheet('P1', 's2', [45, 45]);
  return t;
}

describe('inconsistent records are left out with a reason', () => {
  it('a clean tour has no issues', () => {
    const result = computeRankings(base().input());
    expect(result.projects[0]!.score!.display).toBe('85.00');
    expect(result.issues).toEqual([]);
    expect(result.missingCount).toBe(1); // s3
  });

  it('sheets for unknown stops, by unknown scorers, by observers or of other tours are ignored with warnings', () => {
    const t = base();
    t.sheet('P9', 's1', [50, 50]).sheet('P1', 'zz', [50, 50]).sheet('P1', 'o1', [50, 50]);
    const input = t.input();
    const foreign = { ...input.sheets[0]!, id: 'sheet:t2:P1:s3', tourId: 't2', scorerId: 's3' };
    const result = computeRankings({ ...input, sheets: [...input.sheets, foreign] });
    expect(result.projects[0]!.score!.display).toBe('85.00');
    expect(codes(result)).toEqual([
      'warning:foreignTour:sheet:t2:P1:s3',
      'warning:observerSheet:sheet:t1:P1:o1',
      'warning:unknownScorer:sheet:t1:P1:zz',
      'warning:unknownStop:sheet:t1:P9:s1',
    ]);
    expect(result.hasErrors).toBe(false);
  });

  it('a submitted sheet with an unscored criterion is excluded, not counted as 0', () => {
    const result = computeRankings(base().sheet('P1', 's3', [50, null]).input());
    // counted as 0 it would give (80 + 90 + 50)/3 = 73.33; excluded: 85.00
    expect(result.projects[0]!.score!.display).toBe('85.00');
    expect(result.projects[0]!.excludedSheets).toEqual([
      { sheetId: 'sheet:t1:P1:s3', scorerId: 's3', reason: 'incomplete', detail: 'no score for b' },
    ]);
    expect(result.projects[0]!.missingScorers).toEqual([]);
    expect(codes(result)).toEqual(['error:incompleteSheet:sheet:t1:P1:s3']);
    expect(result.hasErrors).toBe(true);
  });

  it('a score above the max, or off the 0.01 grid, invalidates the sheet', () => {
    for (const bad of [50.5, 12.345]) {
      const result = computeRankings(base().sheet('P1', 's3', [bad, 40]).input());
      expect(result.projects[0]!.score!.display).toBe('85.00');
      expect(result.projects[0]!.excludedSheets.map((e) => e.reason)).toEqual(['invalidScore']);
      expect(codes(result)).toEqual(['error:invalidScore:sheet:t1:P1:s3']);
    }
  });

  it('a score off the criterion step counts as given, with a warning', () => {
    // s3 40.3 + 40 = 80.3 → (80 + 90 + 80.3)/3 = 250.3/3 = 83.4333… → 83.43
    const result = computeRankings(base().sheet('P1', 's3', [40.3, 40]).input());
    expect(result.projects[0]!.score!.display).toBe('83.43');
    expect(codes(result)).toEqual(['warning:offStepScore:sheet:t1:P1:s3']);
  });

  it('scores of criteria not in the template are ignored, one warning per key', () => {
    const t = base();
    const input = t.input();
    const sheets = input.sheets.map((s) => ({ ...s, scores: { ...s.scores, old: 10 } }));
    const result = computeRankings({ ...input, sheets });
    expect(result.projects[0]!.score!.display).toBe('85.00');
    expect(codes(result)).toEqual(['warning:unknownCriterion:old']);
    expect(result.issues[0]!.message).toContain('2 submitted sheet(s)');
  });

  it('drafts and reopened sheets do not count; they show as missing with their state', () => {
    const t = new TourBuilder([['a', 50, 0.5], ['b', 50, 0.5]], { recusal: true });
    t.unit('U1').stop('P1', 'U1').scorer('s1').scorer('s2').scorer('s3');
    t.sheet('P1', 's1', [40, 40]).sheet('P1', 's2', [50, 50], 'reopened').sheet('P1', 's3', [50, 50], 'draft');
    const result = computeRankings(t.input());
    expect(result.projects[0]!.score!.display).toBe('80.00');
    expect(result.projects[0]!.missingScorers).toEqual([
      { scorerId: 's2', status: 'reopened' },
      { scorerId: 's3', status: 'draft' },
    ]);
    expect(result.missingCount).toBe(2);
  });

  it('two sheets for one stop and scorer: submitted wins, then the latest; reported as an error', () => {
    const input = base().input();
    const first = input.sheets[0]!; // s1: 80
    const laterDraft = { ...first, id: 'dup-draft', status: 'draft' as const, scores: { a: 0, b: 0 }, updatedAt: '2021-12-09T00:00:00.000Z' };
    const laterSubmitted = { ...first, id: 'dup-late', scores: { a: 50, b: 50 }, updatedAt: '2021-12-09T08:00:00+08:00' };
    const earlierSubmitted = { ...first, id: 'dup-early', scores: { a: 0, b: 0 }, updatedAt: '2021-12-07T00:00:00.000Z' };
    const withDraft = computeRankings({ ...input, sheets: [...input.sheets, laterDraft] });
    expect(withDraft.projects[0]!.score!.display).toBe('85.00');
    expect(codes(withDraft)).toEqual(['error:duplicateSheet:sheet:t1:P1:s1']);
    const sheets = [...input.sheets, laterSubmitted, earlierSubmitted];
    const result = computeRankings({ ...input, sheets });
    // s1 = 100 (latest) → (100 + 90)/2 = 95
    expect(result.projects[0]!.score!.display).toBe('95.00');
    expect(codes(result)).toEqual(['error:duplicateSheet:dup-late']);
    expect(computeRankings({ ...input, sheets: [...sheets].reverse() })).toEqual(result);
  });

  it('a stop of an unknown unit is left out as an error; a duplicated unit id is reported', () => {
    const t = base().stop('P2', 'U9').sheet('P2', 's1', [40, 40]).unit('U1');
    const result = computeRankings(t.input());
    expect(result.projects.map((p) => p.stopId)).toEqual(['P1']);
    expect(codes(result)).toEqual(['error:unknownUnit:P2', 'warning:duplicateId:U1', 'warning:unknownStop:sheet:t1:P2:s1']);
  });

  it('a study tour ranks nothing; a scored tour without template reports an error', () => {
    const input = base().input();
    const study = computeRankings({ ...input, tour: { ...input.tour, kind: 'study' } });
    expect([study.projects, study.units, study.projectLists, study.unitLists]).toEqual([[], [], [], []]);
    expect(codes(study)).toEqual(['info:studyTour:t1']);
    const noTemplate = computeRankings({ ...input, tour: { ...input.tour, template: null } });
    expect(codes(noTemplate)).toEqual(['error:noTemplate:t1']);
    expect(noTemplate.hasErrors).toBe(true);
  });

  it('summarises each scorer: submitted, counted, dropped, excluded, recused, missing, mean given', () => {
    const t = new TourBuilder([['a', 100, 0.5]], { recusal: true, trim: { dropHighest: 1, dropLowest: 1, minSheets: 3 } });
    t.unit('U1').unit('U2').stop('P1', 'U1').stop('P2', 'U2');
    t.scorer('s1', { home: 'U1' }).scorer('s2').scorer('s3').scorer('s4');
    // P1: s1 recused; s2 90, s3 80, s4 70 → drop 90 and 70 → 80
    t.sheet('P1', 's1', [100]).sheet('P1', 's2', [90]).sheet('P1', 's3', [80]).sheet('P1', 's4', [70]);
    // P2: s1 60, s2 missing, s3 incomplete, s4 50 → 2 sheets: 55
    t.sheet('P2', 's1', [60]).sheet('P2', 's3', { a: null }).sheet('P2', 's4', [50]);
    const result = computeRankings(t.input());
    expect(result.projects.map((p) => [p.stopId, p.score!.display])).toEqual([['P1', '80.00'], ['P2', '55.00']]);
    expect(result.scorers.map((s) => [s.scorerId, s.submitted, s.counted, s.dropped, s.excluded, s.recused, s.missing, s.meanGiven?.display ?? null])).toEqual([
      ['s1', 1, 1, 0, 0, 1, 0, '60.00'],
      ['s2', 1, 0, 1, 0, 0, 1, '90.00'],
      ['s3', 2, 1, 0, 1, 0, 0, '80.00'],
      ['s4', 2, 1, 1, 0, 0, 0, '60.00'],
    ]);
  });
});

describe('rankTour validates raw records with the shared schemas', () => {
  it('leaves out an invalid record, reports it, and ranks the rest', () => {
    const input = base().input();
    const broken = { ...input.sheets[0]!, id: sheetId('t1', 'P1', 's3'), scorerId: 's3', scores: { a: -5, b: 'x' } };
    expect(scoreSheetSchema.safeParse(broken).success).toBe(false);
    const result = rankTour({ ...input, sheets: [...input.sheets, broken] });
    expect(result.projects[0]!.score!.display).toBe('85.00');
    expect(codes(result)).toEqual(['error:invalidRecord:sheet:t1:P1:s3']);
    expect(result.issues[0]!.message).toMatch(/scores\.a/);
    expect(result.hasErrors).toBe(true);
  });

  it('fills schema defaults of raw records', () => {
    const input = base().input();
    const rawUnits = input.units.map(({ id, tourId, name }) => ({ id, tourId, name }));
    const { input: parsed, issues } = parseRankingInput({ ...input, units: rawUnits });
    expect(issues).toEqual([]);
    expect(parsed.units[0]).toEqual({ id: 'U1', tourId: 't1', name: '单位U1', group: null, indicatorScore: null });
  });

  it('throws on an unusable tour or rules object', () => {
    const input = base().input();
    expect(() => rankTour({ ...input, tour: { ...input.tour, kind: 'party' } })).toThrow(RankingInputError);
    expect(() => rankTour({ ...input, rules: { trim: { dropHighest: 2, dropLowest: 2, minSheets: 3 } } })).toThrow(
      /minSheets must exceed/,
    );
  });
});
