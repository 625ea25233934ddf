/**
 * The live scoring board (pure): scorers × stops with each cell's state, counts per stop and
 * per scorer, and who is missing. Computed from what is in IndexedDB; the board re-runs it on
 * every change the sync client stores.
 *
 * What must stay true: only scorers (not observers) have cells; a stop of the scorer's home unit
 * is `recused` when the tour's rules recuse (even if a sheet exists there, it does not count);
 * `reopened` counts as draft — the sheet is not in until submitted again. Everything a person
 * reads follows the tour's own order (shared/domain/tour-order.ts): stops in itinerary order
 * (grouped by day), scorers in assignment order, unit groups as the itinerary reaches them.
 */
import type { ScoreSheet, Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';
import { groupsInTourOrder, scorersInAssignmentOrder, stopsInItineraryOrder } from '@shared/domain/tour-order';

export type CellState = 'submitted' | 'draft' | 'notStarted' | 'recused';

export interface BoardCount {
  submitted: number;
  draft: number;
  notStarted: number;
  /** cells that must be submitted (everything except recused) */
  expected: number;
}

/** One day of the itinerary: its stops in visiting order. */
export interface BoardDay {
  day: string;
  stops: Stop[];
}

/** A unit group (null = units without a group) and its cells' counts. */
export interface BoardGroup {
  group: string | null;
  count: BoardCount;
}

export interface BoardModel {
  /** itinerary order */
  stops: Stop[];
  /** the same stops by day, days in order */
  days: BoardDay[];
  /** assignment order; scorers only (no observers) */
  scorers: Scorer[];
  /** unit id → name */
  unitNames: Map<string, string>;
  /** groups in tour order, with their counts (one entry, null, when the tour has no groups) */
  groups: BoardGroup[];
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
  const stops = stopsInItineraryOrder(input.stops);
  const scorers = scorersInAssignmentOrder(input.scorers.filter((s) => s.role === 'scorer'));
  const days: BoardDay[] = [];
  for (const stop of stops) {
    const last = days.at(-1);
    if (last?.day === stop.day) last.stops.push(stop);
    else days.push({ day: stop.day, stops: [stop] });
  }
  const groupOfUnit = new Map(input.units.map((u) => [u.id, u.group]));
  const sheetByCell = new Map(input.sheets.map((s) => [cellKey(s.scorerId, s.stopId), s]));
  const cells = new Map<string, CellState>();
  const empty = (): BoardCount => ({ submitted: 0, draft: 0, notStarted: 0, expected: 0 });
  const perStop = new Map(stops.map((s) => [s.id, empty()]));
  const perScorer = new Map(scorers.map((s) => [s.id, empty()]));
  const total = empty();
  const missingByStop = new Map<string, Scorer[]>(stops.map((s) => [s.id, []]));
  const perGroup = new Map(groupsInTourOrder(input.units, stops).map((g) => [g, empty()]));

  for (const scorer of scorers) {
    for (const stop of stops) {
      const sheet = sheetByCell.get(cellKey(scorer.id, stop.id));
      let state: CellState;
      if (input.tour.rules.recusal && scorer.homeUnitId !== null && scorer.homeUnitId === stop.unitId) state = 'recused';
      else if (!sheet) state = 'notStarted';
      else state = sheet.status === 'submitted' ? 'submitted' : 'draft';
      cells.set(cellKey(scorer.id, stop.id), state);
      if (state === 'recused') continue;
      const groupCount = perGroup.get(groupOfUnit.get(stop.unitId) ?? null);
      for (const count of [perStop.get(stop.id)!, perScorer.get(scorer.id)!, total, ...(groupCount ? [groupCount] : [])]) {
        count.expected++;
        count[state]++;
      }
      if (state !== 'submitted') missingByStop.get(stop.id)!.push(scorer);
    }
  }
  const groups = [...perGroup].map(([group, count]) => ({ group, count }));
  return { stops, days, scorers, unitNames: new Map(input.units.map((u) => [u.id, u.name])), groups, cells, perStop, perScorer, total, missingByStop };
}
