import { defaultRankingRules, sheetId, type ScoreSheet, type Scorer, type Stop, type Tour, type Unit } from '@shared/domain/schemas';
import { describe, expect, it } from 'vitest';
import { buildBoard, cellKey } from './board-model';

const tour: Tour = { id: 't', name: 'T', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08', status: 'published', template: null, rules: defaultRankingRules };
const stop = (id: string, unitId: string, order: number, day = '2021-12-08'): Stop => ({
  id,
  tourId: 't',
  unitId,
  day,
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
const scorer = (id: string, name: string, homeUnitId: string | null, role: Scorer['role'] = 'scorer', extra: Partial<Scorer> = {}): Scorer => ({ id, tourId: 't', userId: id, name, role, homeUnitId, weightGroup: null, ...extra });
const unit = (id: string, name: string, group: string | null): Unit => ({ id, tourId: 't', name, group, indicatorScore: null });
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
  const scorers = [scorer('b', '评委乙', 'u1'), scorer('a', '评委甲', null), scorer('o', '观察员', null, 'observer')];
  const sheets = [sheet('s1', 'a', 'submitted'), sheet('s2', 'a', 'reopened'), sheet('s1', 'b', 'submitted'), sheet('s2', 'b', 'draft')];

  it('states each cell, counts per stop and scorer, and lists who is missing', () => {
    const board = buildBoard({ tour, units: [], stops, scorers, sheets });
    expect(board.stops.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(board.scorers.map((s) => s.id)).toEqual(['a', 'b']); // no assignment order given: by the names' ordinals (甲, 乙); no observer
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

  it('follows the tour order: stops by day and visit, scorers as assigned, groups as the itinerary reaches them', () => {
    // 区组 sorts before 县组 by code point and by pinyin; the itinerary visits 县组 first
    const units = [unit('qu', '东昌府区', '区组'), unit('shen', '莘县', '县组'), unit('yang', '阳谷县', '县组')];
    const stops2 = [stop('q1', 'qu', 1, '2018-12-04'), stop('y1', 'yang', 2, '2018-12-03'), stop('s1', 'shen', 1, '2018-12-03'), stop('q2', 'qu', 2, '2018-12-04')];
    // assigned: 市领导1–2 first, then the unit heads; 市领导10 by its order, not by its name
    const scorers2 = [
      scorer('h-yang', '阳谷县书记', 'yang', 'scorer', { order: 4, post: '县委书记' }),
      scorer('l10', '市领导10', null, 'scorer', { order: 2, post: '副市长' }),
      scorer('l2', '市领导2', null, 'scorer', { order: 1 }),
      scorer('h-shen', '莘县书记', 'shen', 'scorer', { order: 3 }),
      scorer('obs', '观察员', null, 'observer', { order: 0 }),
    ];
    const board = buildBoard({ tour, units, stops: stops2, scorers: scorers2, sheets: [sheet('s1', 'l2', 'submitted'), sheet('q1', 'h-shen', 'submitted'), sheet('q2', 'h-shen', 'draft')] });
    expect(board.stops.map((s) => s.id)).toEqual(['s1', 'y1', 'q1', 'q2']);
    expect(board.days.map((d) => [d.day, d.stops.map((s) => s.id)])).toEqual([
      ['2018-12-03', ['s1', 'y1']],
      ['2018-12-04', ['q1', 'q2']],
    ]);
    expect(board.scorers.map((s) => s.name)).toEqual(['市领导2', '市领导10', '莘县书记', '阳谷县书记']);
    expect(board.scorers[1]!.post).toBe('副市长');
    expect(board.cells.get(cellKey('h-shen', 's1'))).toBe('recused');
    expect(board.cells.get(cellKey('h-yang', 'y1'))).toBe('recused');
    // per group, in tour order: 县组 has 2 stops × 4 scorers − 2 recused, 区组 2 × 4
    expect(board.groups).toEqual([
      { group: '县组', count: { submitted: 1, draft: 0, notStarted: 5, expected: 6 } },
      { group: '区组', count: { submitted: 1, draft: 1, notStarted: 6, expected: 8 } },
    ]);
    // who is missing, in assignment order
    expect(board.missingByStop.get('q2')!.map((s) => s.name)).toEqual(['市领导2', '市领导10', '莘县书记', '阳谷县书记']);
  });
});
