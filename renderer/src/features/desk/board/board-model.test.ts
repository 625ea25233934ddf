import { defaultRankingRules, sheetId, type ScoreSheet, type Scorer, type Stop, type Tour } from '@shared/domain/schemas';
import { describe, expect, it } from 'vitest';
import { buildBoard, cellKey } from './board-model';

const tour: Tour = { id: 't', name: 'T', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08', status: 'published', template: null, rules: defaultRankingRules };
const stop = (id: string, unitId: string, order: number): Stop => ({
  id,
  tourId: 't',
  unitId,
  day: '2021-12-08',
  order,
  name: id,
  category: '',
  totalInvestment: null,
  completedInvestment: null,
  startDate: null,
  content: '',
  lat: null,
  lng: null,
  address: '',
  briefer: '',
});
const scorer = (id: string, name: string, homeUnitId: string | null, role: Scorer['role'] = 'scorer'): Scorer => ({ id, tourId: 't', userId: id, name, role, homeUnitId, weightGroup: null });
const sheet = (stopId: string, scorerId: string, status: ScoreSheet['status']): ScoreSheet => ({
  id: sheetId('t', stopId, scorerId),
  tourId: 't',
  stopId,
  scorerId,
  scores: {},
  status,
  comment: '',
  submittedAt: null,
  updatedAt: '2021-12-08T00:00:00.000Z',
});

describe('scoring board', () => {
  const stops = [stop('s2', 'u2', 2), stop('s1', 'u1', 1)];
  const scorers = [scorer('b', '乙', 'u1'), scorer('a', '甲', null), scorer('o', '观', null, 'observer')];
  const sheets = [sheet('s1', 'a', 'submitted'), sheet('s2', 'a', 'reopened'), sheet('s1', 'b', 'submitted'), sheet('s2', 'b', 'draft')];

  it('states each cell, counts per stop and scorer, and lists who is missing', () => {
    const board = buildBoard({ tour, units: [], stops, scorers, sheets });
    expect(board.stops.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(board.scorers.map((s) => s.id)).toEqual(['a', 'b']); // by name (甲, 乙); no observer
    expect(board.cells.get(cellKey('a', 's1'))).toBe('submitted');
    expect(board.cells.get(cellKey('a', 's2'))).toBe('draft'); // reopened is not in
    expect(board.cells.get(cellKey('b', 's1'))).toBe('recused'); // own unit: its sheet does not count
    expect(board.cells.get(cellKey('b', 's2'))).toBe('draft');
    expect(board.perStop.get('s1')).toEqual({ submitted: 1, draft: 0, notStarted: 0, expected: 1 });
    expect(board.perStop.get('s2')).toEqual({ submitted: 0, draft: 2, notStarted: 0, expected: 2 });
    expect(board.perScorer.get('b')).toEqual({ submitted: 0, draft: 1, notStarted: 0, expected: 1 });
    expect(board.total).toEqual({ submitted: 1, draft: 2, notStarted: 0, expected: 3 });
    expect(board.missingByStop.get('s1')).toEqual([]);
    expect(board.missingByStop.get('s2')!.map((s) => s.id).sort()).toEqual(['a', 'b']);
  });

  it('without recusal every cell counts, and a missing sheet is not started', () => {
    const board = buildBoard({ tour: { ...tour, rules: { ...tour.rules, recusal: false } }, units: [], stops, scorers, sheets: [] });
    expect([...board.cells.values()].every((s) => s === 'notStarted')).toBe(true);
    expect(board.total).toEqual({ submitted: 0, draft: 0, notStarted: 4, expected: 4 });
  });
});
