import { useMemo, useState } from 'react';
import type { Stop } from '@shared/domain/schemas';
import { useT } from '../../../i18n/use-t';
import { useObjectUrls } from '../../photos/use-object-urls';
import { useDeskAccess } from '../use-desk-access';
import { listTitle, notesByKind, type ListTables } from '../rankings/ranking-tables';
import { useComputedRankings, useTourRecords } from '../rankings/use-rankings-data';
import { localDate } from './ExportWorkbookButton';
import { useBulletinMedia } from './use-bulletin-data';
import './bulletin.css';

/**
 * #/tours/:id/bulletin — the printable bulletin (通报): title and date, the ranking tables, then
 * one page per project with its cover photo, facts and the 亮点 / 问题 / 建议 notes. A print
 * stylesheet lays it out on A4 with page breaks. In Electron 导出 PDF calls printToPDF through
 * the preload bridge; in a browser it opens the print dialog (save as PDF there).
 *
 * Language: the toolbar around it (back, export, errors) speaks the user's language; the bulletin
 * itself is an official document for Chinese government readers and stays Chinese whatever the
 * app's language (marked lang="zh-CN" for fonts and screen readers), as does the PDF's file name.
 */
export function BulletinPage({ tourId }: { tourId: string }) {
  const t = useT();
  const access = useDeskAccess();
  const records = useTourRecords(tourId);
  const media = useBulletinMedia(tourId);
  const computed = useComputedRankings(records, null);
  const coverUrls = useObjectUrls(media?.coverBlobs);
  const [printError, setPrintError] = useState<string | null>(null);
  const today = useMemo(() => localDate(new Date()), []);

  if (records === undefined || media === undefined || access === 'loading') {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (!records || !computed) return <p className="empty">{t('desk.common.tourNotFound')}</p>;
  const { tour, units, stops } = records;
  if (access !== 'allowed' && tour.status !== 'results_published') {
    return (
      <p className="empty" role="alert">
        {t('desk.bulletin.notYetPublished')}
      </p>
    );
  }
  const { tables } = computed;
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const itinerary = [...stops].sort((a, b) => a.day.localeCompare(b.day) || a.order - b.order);
  const rowByStop = new Map(tables.lists.flatMap((l) => l.projects.map((p) => [p.stopId, { row: p, list: l }] as const)));

  async function exportPdf() {
    setPrintError(null);
    const bridge = window.guanmo;
    if (!bridge) {
      window.print();
      return;
    }
    const outcome = await bridge.printToPdf({ suggestedName: `${tour.name}-通报-${today}.pdf`, title: t('desk.bulletin.saveDialogTitle'), pageSize: 'A4', printBackground: true });
    if (!outcome.ok) setPrintError(outcome.error.message);
  }

  return (
    <article className="bulletin" data-testid="bulletin">
      <nav className="bulletin__toolbar no-print">
        <button type="button" className="button button--primary" onClick={() => void exportPdf()}>
          {window.guanmo ? t('desk.bulletin.exportPdf') : t('desk.bulletin.print')}
        </button>
        {printError && (
          <span className="notice notice--error" role="alert">
            {printError}
          </span>
        )}
      </nav>
      <div lang="zh-CN" data-testid="bulletin-document">
        <header className="bulletin__cover">
          <h1 tabIndex={-1}>关于{tour.name}结果的通报</h1>
          <p className="bulletin__date">
            观摩时间：{tour.startDate}
            {tour.endDate !== tour.startDate && ` 至 ${tour.endDate}`} · 印发日期：{today}
          </p>
          <p>
            本次观摩共 {stops.length} 个项目、{units.length} 个参评单位。评分规则：
            {tour.rules.trim ? `评分表达到 ${tour.rules.trim.minSheets} 张时去掉 ${tour.rules.trim.dropHighest} 个最高分和 ${tour.rules.trim.dropLowest} 个最低分后取平均` : '取平均分'}
            {tour.rules.recusal ? '，评委回避本单位项目' : ''}。
          </p>
        </header>

        {tables.lists.map((list) => (
          <BulletinRankings key={`${list.isOverall}-${list.group ?? ''}`} list={list} />
        ))}

        {itinerary.map((stop) => {
          const entry = rowByStop.get(stop.id);
          const url = coverUrls.get(stop.id);
          const groups = notesByKind(media.notes.get(stop.id) ?? []);
          return (
            <section className="bulletin__project" key={stop.id} data-testid="bulletin-project">
              <h2>
                {stop.name}
                <span className="bulletin__unit">（{unitName.get(stop.unitId) ?? stop.unitId}）</span>
              </h2>
              {/* rank votes rank units, not projects: no project score to print */}
              {entry && tour.rules.method === 'score' && (
                <p className="bulletin__score">{projectStanding(entry.row, listTitle(entry.list, documentListLabels))}</p>
              )}
              {url ? <img className="bulletin__photo" src={url} alt={`${stop.name} 现场照片`} /> : <p className="bulletin__nophoto muted">（暂无现场照片）</p>}
              {url && media.coverQuality.get(stop.id) === 'thumb' && (
                // on screen only: the secretariat should know this photo will print small and blurry
                <p className="notice notice--warning no-print" data-testid="bulletin-low-res-photo">
                  {media.coverDownloading.has(stop.id) ? t('desk.bulletin.coverDownloading') : t('desk.bulletin.coverThumbOnly')}
                </p>
              )}
              <StopFactsList stop={stop} />
              {groups.map((g) => (
                <div key={g.kind} className={`bulletin__notes bulletin__notes--${g.kind}`}>
                  <h3>{g.label}</h3>
                  <ul>
                    {g.texts.map((text, i) => (
                      <li key={i}>{text}</li>
                    ))}
                  </ul>
                </div>
              ))}
            </section>
          );
        })}
      </div>
    </article>
  );
}

function BulletinRankings({ list }: { list: ListTables }) {
  const title = listTitle(list, documentListLabels);
  return (
    <section className="bulletin__rankings">
      <h2>{title}</h2>
      <table className="bulletin__table" data-testid="bulletin-project-ranking">
        <caption>项目排名</caption>
        <thead>
          <tr>
            <th>名次</th>
            <th>项目名称</th>
            <th>参评单位</th>
            <th>得分</th>
          </tr>
        </thead>
        <tbody>
          {list.projects.map((p) => (
            <tr key={p.stopId}>
              <td>{documentRank(p.rank, p.isTie)}</td>
              <td>{p.name}</td>
              <td>{p.unitName}</td>
              <td className="num">{p.score?.display ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="bulletin__table" data-testid="bulletin-unit-ranking">
        <caption>单位排名</caption>
        <thead>
          <tr>
            <th>名次</th>
            <th>参评单位</th>
            <th>得分</th>
          </tr>
        </thead>
        <tbody>
          {list.units.map((u) => (
            <tr key={u.unitId}>
              <td>{documentRank(u.rank, u.isTie)}</td>
              <td>{u.name}</td>
              <td className="num">{u.score?.display ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function StopFactsList({ stop }: { stop: Stop }) {
  const facts: [string, string][] = [];
  if (stop.category) facts.push(['类别', stop.category]);
  if (stop.totalInvestment !== null) facts.push(['总投资', `${stop.totalInvestment.toLocaleString('zh-CN')} 万元`]);
  if (stop.completedInvestment !== null) facts.push(['已完成投资', `${stop.completedInvestment.toLocaleString('zh-CN')} 万元`]);
  if (stop.startDate) facts.push(['开工时间', stop.startDate]);
  if (stop.address) facts.push(['地址', stop.address]);
  if (stop.content) facts.push(['建设内容', stop.content]);
  if (facts.length === 0) return null;
  return (
    <dl className="bulletin__facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

// The bulletin's own words (Chinese whatever the app's language, like the workbook's): kept here
// rather than borrowed from the rankings screen, whose labels follow the user's language.
const documentListLabels = { overall: '总排名', defaultGroup: '未分组' };

function documentRank(rank: number | null, isTie: boolean): string {
  if (rank === null) return '—';
  return isTie ? `${rank}（并列）` : String(rank);
}

/** 得分 86.50 · 园区组第 2 名（并列）; a project without a counted sheet says so instead of “第 — 名”. */
function projectStanding(row: { score: { display: string } | null; rank: number | null; isTie: boolean }, listName: string): string {
  if (row.score === null || row.rank === null) return `未计分（无有效评分表）· ${listName}`;
  return `得分 ${row.score.display} · ${listName}第 ${row.rank} 名${row.isTie ? '（并列）' : ''}`;
}
