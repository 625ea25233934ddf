import { useState } from 'react';
import type { CriterionColumn, DeskTables, Figure, ListTables } from './ranking-tables';
import { listLabels, rankLabel, unrankedLabels } from './rankings-labels';
import { listTitle } from './ranking-tables';

const fig = (f: Figure | null | undefined) => f?.display ?? '—';

export function ProjectRankingTable({ list, selectedStopId, onSelect }: { list: ListTables; selectedStopId: string | null; onSelect?: (stopId: string) => void }) {
  return (
    <table className="desk-table rank-table" data-testid="project-ranking" data-group={listTitle(list, listLabels)}>
      <caption>项目排名 · {listTitle(list, listLabels)}</caption>
      <thead>
        <tr>
          <th scope="col">名次</th>
          <th scope="col">项目</th>
          <th scope="col">参评单位</th>
          <th scope="col" className="num">
            得分
          </th>
          <th scope="col" className="num">
            计分表
          </th>
          <th scope="col" className="num">
            未交
          </th>
        </tr>
      </thead>
      <tbody>
        {list.projects.map((p) => (
          <tr key={p.stopId} data-stop-id={p.stopId} className={p.stopId === selectedStopId ? 'is-selected' : undefined}>
            <td className={p.isTie ? 'rank rank--tie' : 'rank'} data-testid="rank">
              {rankLabel(p.rank, p.isTie)}
            </td>
            <th scope="row">
              {onSelect ? (
                <button type="button" className="link-button" onClick={() => onSelect(p.stopId)} aria-expanded={p.stopId === selectedStopId}>
                  {p.name}
                </button>
              ) : (
                p.name
              )}
            </th>
            <td>{p.unitName}</td>
            <td className="num" data-testid="project-score">
              {fig(p.score)}
            </td>
            <td className="num">
              {p.sheetsCounted}
              {p.trimmed && <span className="muted">（已去高低）</span>}
            </td>
            <td className={p.missing > 0 ? 'num warn' : 'num'}>{p.missing}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UnitRankingTable({ list }: { list: ListTables }) {
  const hasIndicator = list.units.some((u) => u.indicator !== null);
  return (
    <table className="desk-table rank-table" data-testid="unit-ranking" data-group={listTitle(list, listLabels)}>
      <caption>单位排名 · {listTitle(list, listLabels)}</caption>
      <thead>
        <tr>
          <th scope="col">名次</th>
          <th scope="col">参评单位</th>
          <th scope="col" className="num">
            计分项目
          </th>
          <th scope="col" className="num">
            现场得分
          </th>
          {hasIndicator && (
            <th scope="col" className="num">
              指标得分
            </th>
          )}
          <th scope="col" className="num">
            综合得分
          </th>
        </tr>
      </thead>
      <tbody>
        {list.units.map((u) => (
          <tr key={u.unitId} data-unit-id={u.unitId}>
            <td className={u.isTie ? 'rank rank--tie' : 'rank'}>{rankLabel(u.rank, u.isTie)}</td>
            <th scope="row">{u.name}</th>
            <td className="num">{u.projects}</td>
            <td className="num">{fig(u.onSite)}</td>
            {hasIndicator && <td className="num">{fig(u.indicator)}</td>}
            <td className="num" data-testid="unit-score">
              {u.score ? u.score.display : u.unranked ? (unrankedLabels[u.unranked] ?? u.unranked) : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Folded by default and rendered only when opened: on a 300-project tour it is thousands of
 * cells, and re-rendering them on every rule change would make the preview sluggish.
 */
export function CriterionMeans({ list, criteria }: { list: ListTables; criteria: readonly CriterionColumn[] }) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <details className="criterion-means" onToggle={(e) => setIsOpen(e.currentTarget.open)}>
      <summary>分项平均分 · {listTitle(list, listLabels)}</summary>
      {isOpen && <CriterionMeansTable list={list} criteria={criteria} />}
    </details>
  );
}

export function CriterionMeansTable({ list, criteria }: { list: ListTables; criteria: readonly CriterionColumn[] }) {
  return (
    <table className="desk-table rank-table" data-testid="criterion-means" data-group={listTitle(list, listLabels)}>
      <caption>分项平均分 · {listTitle(list, listLabels)}</caption>
      <thead>
        <tr>
          <th scope="col">项目</th>
          {criteria.map((c) => (
            <th scope="col" key={c.key} className="num">
              {c.name}
              <span className="muted">（{c.max}）</span>
            </th>
          ))}
          <th scope="col" className="num">
            得分
          </th>
        </tr>
      </thead>
      <tbody>
        {list.projects.map((p) => (
          <tr key={p.stopId}>
            <th scope="row">{p.name}</th>
            {criteria.map((c) => (
              <td key={c.key} className="num">
                {fig(p.criterionMeans[c.key])}
              </td>
            ))}
            <td className="num">{fig(p.score)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ScorerTable({ tables }: { tables: DeskTables }) {
  return (
    <table className="desk-table" data-testid="scorer-table">
      <caption>评委统计（偏离：与同一项目其他评委平均分之差的均值）</caption>
      <thead>
        <tr>
          <th scope="col">评委</th>
          <th scope="col">回避单位</th>
          <th scope="col" className="num">
            已提交
          </th>
          <th scope="col" className="num">
            计入
          </th>
          <th scope="col" className="num">
            去高低
          </th>
          <th scope="col" className="num">
            回避
          </th>
          <th scope="col" className="num">
            未交
          </th>
          <th scope="col" className="num">
            平均给分
          </th>
          <th scope="col" className="num">
            平均偏离
          </th>
          <th scope="col">提示</th>
        </tr>
      </thead>
      <tbody>
        {tables.scorers.map((s) => {
          const d = s.deviation;
          return (
            <tr key={s.scorerId} data-scorer-id={s.scorerId} className={d?.isFlagged ? 'is-flagged' : undefined}>
              <th scope="row">{s.name}</th>
              <td>{s.homeUnitName ?? '—'}</td>
              <td className="num">{s.submitted}</td>
              <td className="num">{s.counted}</td>
              <td className="num">{s.dropped}</td>
              <td className="num">{s.recused}</td>
              <td className={s.missing > 0 ? 'num warn' : 'num'}>{s.missing}</td>
              <td className="num">{fig(s.meanGiven)}</td>
              <td className="num">{d?.meanDeviation == null ? '—' : formatSigned(d.meanDeviation)}</td>
              <td data-testid="scorer-flag">{d?.isFlagged ? (d.direction === 'lenient' ? '⚠ 明显偏高' : '⚠ 明显偏低') : ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function formatSigned(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return `${rounded > 0 ? '+' : ''}${rounded.toFixed(2)}`;
}
