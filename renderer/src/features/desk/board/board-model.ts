/**
 * The live scoring board (pure): scorers × stops with each cell's state, counts per stop and
 * per scorer, and who is missing. Computed from what is in IndexedDB; the board re-runs it on
 * every change the sync client stores.
 *
 * What must stay true: only scorers (not observers) have cells; a stop of the scorer's home unit
 * is `recused` when the tour's rules recuse (even if a sheet exists there, it does not count);
 * `reopened` counts as draft — the sheet is not in until submitted again.
 */
import type { ScoreSheet, Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';

export type CellState = 'submitted' | 'draft' | 'notStarted' | 'recused';

export interface BoardCount {
  submitted: number;
  draft: number;
  notStarted: number;
  /** cells that must be submitted (everything except recused) */
  expected: number;
}

export interface BoardModel {
  stops: Stop[];
  scorers: Scorer[];
  unitNames: Map<string, string>;
  /** `${scorerId}|${stopId}` → state */
  cells: Map<string, CellState>;
  perStop: Map<string, BoardCount>;
  perScorer: Map<string, BoardCount>;
  total: BoardCount;
  /** per stop: the scorers whose sheet is not submitted yet (missing) */
  missingByStop: Map<string, Scorer[]>;
}

export const cellKey = (scorerId: string, stopId: string) => `${scorerId}|${stopId}`;

export function buildBoard(input: { tour: Tour; units: readonly Unit[]; stops: readonly Stop[]; scorers: readonly Scorer[]; sheets: readonly ScoreSheet[] }): BoardModel {
  const stops = [...input.stops].sort((a, b) => a.day.localeCompare(b.day) || a.order - b.order);
  const scorers = input.scorers.filter((s) => s.role === 'scorer').sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  const sheetByCell = new Map(input.sheets.map((s) => [cellKey(s.scorerId, s.stopId), s]));
  const cells = new Map<string, CellState>();
  const empty = (): BoardCount => ({ submitted: 0, draft: 0, notStarted: 0, expected: 0 });
  const perStop = new Map(stops.map((s) => [s.id, empty()]));
  const perScorer = new Map(scorers.map((s) => [s.id, empty()]));
  const total = empty();
  const missingByStop = new Map<string, Scorer[]>(stops.map((s) => [s.id, []]));

  for (const scorer of scorers) {
    for (const stop of stops) {
      const sheet = sheetByCell.get(cellKey(scorer.id, stop.id));
      let state: CellState;
      if (input.tour.rules.recusal && scorer.homeUnitId !== null && scorer.homeUnitId === stop.unitId) state = 'recused';
      else if (!sheet) state = 'notStarted';
      else state = sheet.status === 'submitted' ? 'submitted' : 'draft';
      cells.set(cellKey(scorer.id, stop.id), state);
      if (state === 'recused') continue;
      for (const count of [perStop.get(stop.id)!, perScorer.get(scorer.id)!, total]) {
        count.expected++;
        count[state]++;
      }
      if (state !== 'submitted') missingByStop.get(stop.id)!.push(scorer);
    }
  }
  return { stops, scorers, unitNames: new Map(input.units.map((u) => [u.id, u.name])), cells, perStop, perScorer, total, missingByStop };
}
