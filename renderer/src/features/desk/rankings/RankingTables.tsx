import { memo, useState } from 'react';
import type { Translate } from '../../../i18n/catalogs';
import { useT } from '../../../i18n/use-t';
import type { CriterionColumn, DeskTables, Figure, ProjectListTable, ProjectRow, ScorerRow, UnitListTable, UnitRow } from './ranking-tables';
import { listName, rankLabel, unrankedLabel } from './rankings-labels';

/*
 * Speed (a rule change repaints these tables "at once", 300 projects × 80 scorers < 100 ms):
 * - every row is a memo component compared on what it shows, so a recompute (which builds new
 *   row objects) re-renders and touches the DOM of changed rows only;
 * - each table sits in a `.rankings__block`, which the stylesheet marks `content-visibility:
 *   auto`: tables scrolled out of view are neither laid out nor painted until they come near the
 *   viewport. Their rows stay in the DOM, so find-in-page, screen readers and printing see all
 *   of them (nothing is windowed away).
 * Props callbacks must be stable (useCallback) or the row memo is defeated.
 */

const fig = (f: Figure | null | undefined, t: Translate) => f?.display ?? t('desk.rankings.none');
const sameFigure = (a: Figure | null, b: Figure | null) => a === b || (a !== null && b !== null && a.display === b.display);

export interface ProjectRankingTableProps {
  list: ProjectListTable;
  selectedStopId: string | null;
  /** stable callback (the rows are memoised); absent for read-only viewers */
  onSelect?: (stopId: string) => void;
}

export function ProjectRankingTable({ list, selectedStopId, onSelect }: ProjectRankingTableProps) {
  const t = useT();
  const title = listName(list, t);
  // a list that spans groups (projects ranked over the whole tour) names each project's group,
  // as the bulletin and the workbook do
  const hasGroupColumn = new Set(list.projects.map((p) => p.group)).size > 1;
  return (
    <table className="desk-table rank-table rank-table--projects" data-testid="project-ranking" data-group={title}>
      <caption>{t('desk.rankings.project.caption', { list: title })}</caption>
      <thead>
        <tr>
          <th scope="col" className="col-rank">
            {t('desk.rankings.project.rank')}
          </th>
          <th scope="col">{t('desk.rankings.project.name')}</th>
          <th scope="col" className="col-unit">
            {t('desk.rankings.project.unit')}
          </th>
          {hasGroupColumn && (
            <th scope="col" className="col-group">
              {t('desk.rankings.project.group')}
            </th>
          )}
          <th scope="col" className="num col-score">
            {t('desk.rankings.project.score')}
          </th>
          <th scope="col" className="num col-sheets">
            {t('desk.rankings.project.sheets')}
          </th>
          <th scope="col" className="num col-count">
            {t('desk.rankings.project.missing')}
          </th>
        </tr>
      </thead>
      <tbody>
        {list.projects.map((p) => (
          <ProjectRankingRow key={p.stopId} row={p} isSelected={p.stopId === selectedStopId} onSelect={onSelect} hasGroupColumn={hasGroupColumn} />
        ))}
      </tbody>
    </table>
  );
}

interface ProjectRankingRowProps {
  row: ProjectRow;
  isSelected: boolean;
  onSelect: ((stopId: string) => void) | undefined;
  hasGroupColumn: boolean;
}

const ProjectRankingRow = memo(
  function ProjectRankingRow({ row: p, isSelected, onSelect, hasGroupColumn }: ProjectRankingRowProps) {
    const t = useT();
    return (
      <tr data-stop-id={p.stopId} className={isSelected ? 'is-selected' : undefined}>
        <td className={p.isTie ? 'rank rank--tie' : 'rank'} data-testid="rank">
          {rankLabel(p.rank, p.isTie, t)}
        </td>
        <th scope="row">
          {onSelect ? (
            <button type="button" className="link-button" onClick={() => onSelect(p.stopId)} aria-expanded={isSelected}>
              {p.name}
            </button>
          ) : (
            p.name
          )}
        </th>
        <td>{p.unitName}</td>
        {hasGroupColumn && <td data-testid="project-group">{p.group ?? t('desk.rankings.list.defaultGroup')}</td>}
        <td className="num" data-testid="project-score">
          {fig(p.score, t)}
        </td>
        <td className="num">
          {p.sheetsCounted}
          {p.trimmed && <span className="muted">{t('desk.rankings.project.trimmed')}</span>}
        </td>
        <td className={p.missing > 0 ? 'num warn' : 'num'}>{p.missing}</td>
      </tr>
    );
  },
  (a, b) =>
    a.isSelected === b.isSelected &&
    a.onSelect === b.onSelect &&
    a.hasGroupColumn === b.hasGroupColumn &&
    a.row.group === b.row.group &&
    a.row.stopId === b.row.stopId &&
    a.row.rank === b.row.rank &&
    a.row.isTie === b.row.isTie &&
    a.row.name === b.row.name &&
    a.row.unitName === b.row.unitName &&
    sameFigure(a.row.score, b.row.score) &&
    a.row.sheetsCounted === b.row.sheetsCounted &&
    a.row.trimmed === b.row.trimmed &&
    a.row.missing === b.row.missing,
);

export function UnitRankingTable({ list, isRankVote }: { list: UnitListTable; isRankVote: boolean }) {
  const t = useT();
  const title = listName(list, t);
  const hasIndicator = list.units.some((u) => u.indicator !== null);
  return (
    <table className="desk-table rank-table" data-testid="unit-ranking" data-group={title}>
      <caption>{t('desk.rankings.unit.caption', { list: title })}</caption>
      <thead>
        <tr>
          <th scope="col" className="col-rank">
            {t('desk.rankings.unit.rank')}
          </th>
          <th scope="col">{t('desk.rankings.unit.name')}</th>
          <th scope="col" className="num">
            {t(isRankVote ? 'desk.rankings.unit.ballots' : 'desk.rankings.unit.projects')}
          </th>
          <th scope="col" className="num">
            {t(isRankVote ? 'desk.rankings.unit.voteScore' : 'desk.rankings.unit.onSite')}
          </th>
          {hasIndicator && (
            <th scope="col" className="num">
              {t('desk.rankings.unit.indicator')}
            </th>
          )}
          <th scope="col" className="num">
            {t('desk.rankings.unit.score')}
          </th>
        </tr>
      </thead>
      <tbody>
        {list.units.map((u) => (
          <UnitRankingRow key={u.unitId} row={u} hasIndicator={hasIndicator} isRankVote={isRankVote} />
        ))}
      </tbody>
    </table>
  );
}

interface UnitRankingRowProps {
  row: UnitRow;
  hasIndicator: boolean;
  isRankVote: boolean;
}

const UnitRankingRow = memo(
  function UnitRankingRow({ row: u, hasIndicator, isRankVote }: UnitRankingRowProps) {
    const t = useT();
    return (
      <tr data-unit-id={u.unitId}>
        <td className={u.isTie ? 'rank rank--tie' : 'rank'}>{rankLabel(u.rank, u.isTie, t)}</td>
        <th scope="row">{u.name}</th>
        <td className="num">{isRankVote ? (u.ballots ?? 0) : u.projects}</td>
        <td className="num">{fig(u.onSite, t)}</td>
        {hasIndicator && <td className="num">{fig(u.indicator, t)}</td>}
        <td className="num" data-testid="unit-score">
          {u.score ? u.score.display : u.unranked ? unrankedLabel(u.unranked, t) : t('desk.rankings.none')}
        </td>
      </tr>
    );
  },
  (a, b) =>
    a.hasIndicator === b.hasIndicator &&
    a.isRankVote === b.isRankVote &&
    a.row.unitId === b.row.unitId &&
    a.row.rank === b.row.rank &&
    a.row.isTie === b.row.isTie &&
    a.row.name === b.row.name &&
    a.row.projects === b.row.projects &&
    a.row.ballots === b.row.ballots &&
    sameFigure(a.row.onSite, b.row.onSite) &&
    sameFigure(a.row.indicator, b.row.indicator) &&
    sameFigure(a.row.score, b.row.score) &&
    a.row.unranked === b.row.unranked,
);

/**
 * Folded by default and rendered only when opened: on a 300-project tour it is thousands of
 * cells, and re-rendering them on every rule change would make the preview sluggish.
 */
export function CriterionMeans({ list, criteria }: { list: ProjectListTable; criteria: readonly CriterionColumn[] }) {
  const t = useT();
  const [isOpen, setIsOpen] = useState(false);
  return (
    <details className="criterion-means" onToggle={(e) => setIsOpen(e.currentTarget.open)}>
      <summary>{t('desk.rankings.means.caption', { list: listName(list, t) })}</summary>
      {isOpen && <CriterionMeansTable list={list} criteria={criteria} />}
    </details>
  );
}

export function CriterionMeansTable({ list, criteria }: { list: ProjectListTable; criteria: readonly CriterionColumn[] }) {
  const t = useT();
  const title = listName(list, t);
  return (
    <table className="desk-table rank-table" data-testid="criterion-means" data-group={title}>
      <caption>{t('desk.rankings.means.caption', { list: title })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('desk.rankings.means.project')}</th>
          {criteria.map((c) => (
            <th scope="col" key={c.key} className="num">
              {c.name}
              <span className="muted">{t('desk.rankings.means.max', { max: c.max })}</span>
            </th>
          ))}
          <th scope="col" className="num">
            {t('desk.rankings.means.score')}
          </th>
        </tr>
      </thead>
      <tbody>
        {list.projects.map((p) => (
          <tr key={p.stopId}>
            <th scope="row">{p.name}</th>
            {criteria.map((c) => (
              <td key={c.key} className="num">
                {fig(p.criterionMeans[c.key], t)}
              </td>
            ))}
            <td className="num">{fig(p.score, t)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ScorerTable({ tables }: { tables: DeskTables }) {
  const t = useT();
  const isRankVote = tables.method === 'rankVote';
  return (
    <table className="desk-table" data-testid="scorer-table">
      <caption>{t(isRankVote ? 'desk.rankings.scorers.captionRankVote' : 'desk.rankings.scorers.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('desk.rankings.scorers.name')}</th>
          <th scope="col">{t('desk.rankings.scorers.homeUnit')}</th>
          <th scope="col" className="num">
            {t('desk.rankings.scorers.submitted')}
          </th>
          <th scope="col" className="num">
            {t('desk.rankings.scorers.counted')}
          </th>
          <th scope="col" className="num">
            {t('desk.rankings.scorers.dropped')}
          </th>
          <th scope="col" className="num">
            {t('desk.rankings.scorers.recused')}
          </th>
          <th scope="col" className="num">
            {t('desk.rankings.scorers.missing')}
          </th>
          <th scope="col" className="num">
            {t('desk.rankings.scorers.meanGiven')}
          </th>
          <th scope="col" className="num">
            {t('desk.rankings.scorers.meanDeviation')}
          </th>
          <th scope="col">{t('desk.rankings.scorers.flag')}</th>
        </tr>
      </thead>
      <tbody>
        {tables.scorers.map((s) => (
          <ScorerTableRow key={s.scorerId} row={s} />
        ))}
      </tbody>
    </table>
  );
}

const ScorerTableRow = memo(
  function ScorerTableRow({ row: s }: { row: ScorerRow }) {
    const t = useT();
    const d = s.deviation;
    return (
      <tr data-scorer-id={s.scorerId} className={d?.isFlagged ? 'is-flagged' : undefined}>
        <th scope="row">{s.name}</th>
        <td>{s.homeUnitName ?? t('desk.rankings.none')}</td>
        <td className="num">{s.submitted}</td>
        <td className="num">{s.counted}</td>
        <td className="num">{s.dropped}</td>
        <td className="num">{s.recused}</td>
        <td className={s.missing > 0 ? 'num warn' : 'num'}>{s.missing}</td>
        <td className="num">{fig(s.meanGiven, t)}</td>
        <td className="num">{d?.meanDeviation == null ? t('desk.rankings.none') : formatSigned(d.meanDeviation)}</td>
        <td data-testid="scorer-flag">{d?.isFlagged ? t(d.direction === 'lenient' ? 'desk.rankings.scorers.lenient' : 'desk.rankings.scorers.harsh') : ''}</td>
      </tr>
    );
  },
  (a, b) => {
    const x = a.row;
    const y = b.row;
    return (
      x.scorerId === y.scorerId &&
      x.name === y.name &&
      x.homeUnitName === y.homeUnitName &&
      x.submitted === y.submitted &&
      x.counted === y.counted &&
      x.dropped === y.dropped &&
      x.recused === y.recused &&
      x.missing === y.missing &&
      sameFigure(x.meanGiven, y.meanGiven) &&
      (x.deviation?.meanDeviation ?? null) === (y.deviation?.meanDeviation ?? null) &&
      (x.deviation?.isFlagged ?? false) === (y.deviation?.isFlagged ?? false) &&
      (x.deviation?.direction ?? null) === (y.deviation?.direction ?? null)
    );
  },
);

function formatSigned(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return `${rounded > 0 ? '+' : ''}${rounded.toFixed(2)}`;
}
