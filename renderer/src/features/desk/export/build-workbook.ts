/**
 * The results workbook (成绩汇总.xlsx), built with exceljs from the desk's tables — the same
 * figures the rankings page shows. exceljs is loaded on demand (dynamic import): it is large
 * and only the secretariat's export needs it, so the app's main bundle does not carry it.
 *
 * What must stay true:
 * - Figures are numbers (not text) with a 0.00 number format, so they sort and sum in Excel; a
 *   rank is a number, with a separate 并列 column (是 / empty); times are Excel dates in the
 *   tour's local time (Asia/Shanghai, shared/domain/tour-time.ts).
 * - Headers are Chinese, header rows are frozen, columns have sensible widths, no formulas
 *   (./workbook-sheet.ts). The workbook is an official document for Chinese government readers:
 *   its file name, sheet names, headers and words stay Chinese whatever the app's language (only
 *   the export button is translated).
 * - The tour's own order: lists in tour order, units and stops in itinerary order, scorers in
 *   assignment order (the tables come in that order; nothing here sorts).
 * - Provenance: the first sheet, 排名规则, states every rule used, when the figures were computed,
 *   the tour's status and the sheet (ballot) counts. Figures from unsaved trial rules say so on
 *   the first line of every sheet.
 * - Sheets, score method: 排名规则, 项目排名-<list> per project list, 单位排名, 分项平均, 评分明细,
 *   评委统计. Rank-vote: 排名规则, 单位排名, 投票明细, 评委统计 (no criteria, no project sheets).
 * - Words: the glossary's terms (i18n/glossary.ts; glossary.test.ts reads this file).
 */
import type { Workbook } from 'exceljs';
import type { TourStatus } from '@shared/domain/schemas';
import { wallClockAsUtcDate } from '@shared/domain/tour-time';
import type { BallotEntryFate, BallotRow } from '../rankings/ballot-rows';
import { listTitle, type DeskTables, type Figure, type SheetFate } from '../rankings/ranking-tables';
import { rulesStatement } from './rules-statement';
import { addTable, DATE_TIME, DATE_TIME_SECONDS, excelTime, NUM2, TRIAL_BANNER, type CellValue, type Column } from './workbook-sheet';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const sheetFateLabels: Record<SheetFate, string> = {
  counted: '计入',
  droppedHighest: '去掉最高分',
  droppedLowest: '去掉最低分',
  excluded: '无效',
  recused: '回避',
  draft: '未提交',
  reopened: '已退回',
};

const ballotFateLabels: Record<BallotEntryFate, string> = {
  counted: '计入',
  droppedHighest: '去掉最高分',
  droppedLowest: '去掉最低分',
  recused: '回避（本单位，不计分）',
  excluded: '无效',
  draft: '未提交（草稿）',
  reopened: '已退回，待重新提交',
  missing: '未交',
  otherList: '不属于当前排名范围，未计',
};

const ballotExclusionLabels: Record<string, string> = {
  incompleteBallot: '排序不完整（漏排、重排或排了其他范围的单位）',
  noWeightGroup: '评委不在任何有权重的权重组',
};

const tourStatusLabels: Record<TourStatus, string> = {
  draft: '草稿',
  published: '已发布',
  scoring: '评分中',
  closed: '已结束',
  results_published: '结果已公布',
};

const listLabels = { overall: '总排名', defaultGroup: '未分组' };

/** The score a rank vote gives a unit: one name in the workbook and on screen (desk.rankings.unit.voteScore). */
export const VOTE_SCORE = '排序得分';

type ExcelModule = typeof import('exceljs');

async function loadExcel(): Promise<ExcelModule> {
  const mod = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
  return mod.default ?? mod;
}

const num = (f: Figure | null | undefined): number | null => (f ? f.value : null);
const tieMark = (rank: number | null, isTie: boolean): string => (rank !== null && isTie ? '是' : '');
const rankColumns: Column[] = [
  { header: '名次', width: 7 },
  { header: '并列', width: 6 },
];

export interface WorkbookMeta {
  /** e.g. 2026-11-22 (the file name's date) */
  exportedOn: string;
  /** when the figures were computed from the records */
  computedAt: Date;
  tourStatus: TourStatus;
  /** the figures come from unsaved trial rules */
  isTrial: boolean;
  creator?: string;
}

/** Builds the workbook (exceljs loaded on first use). */
export async function buildResultsWorkbook(tables: DeskTables, meta: WorkbookMeta): Promise<Workbook> {
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  workbook.creator = meta.creator ?? '观摩 Guanmo';
  workbook.created = meta.computedAt;
  const banner = meta.isTrial ? TRIAL_BANNER : null;
  const isRankVote = tables.method === 'rankVote';
  const criteriaCols: Column[] = tables.criteria.map((c) => ({ header: `${c.name}（${c.max}分）`, width: Math.max(10, Math.min(24, c.name.length * 2 + 6)), numFmt: NUM2 }));
  // the unit's own group, where the lists do not already say it (units ranked over the whole tour)
  const hasGroups = tables.rules.unitScope === 'tour' && tables.unitLists.some((l) => l.units.some((u) => u.group !== null));
  const hasIndicator = tables.rules.indicatorWeight > 0 || tables.unitLists.some((l) => l.units.some((u) => u.indicator !== null));

  addRulesSheet(workbook, tables, meta, banner);

  for (const list of tables.projectLists) {
    const title = listTitle(list, listLabels);
    // a list that spans groups (projects over the whole tour) names each project's group
    const hasGroupColumn = new Set(list.projects.map((p) => p.group)).size > 1;
    addTable(
      workbook,
      `项目排名-${title}`,
      [
        ...rankColumns,
        { header: '项目名称', width: 34 },
        { header: '参评单位', width: 18 },
        ...(hasGroupColumn ? [{ header: '分组', width: 10 }] : []),
        { header: '类别', width: 10 },
        { header: '得分', width: 10, numFmt: NUM2 },
        { header: '计入评分表', width: 11 },
        { header: '去掉最高最低分', width: 15 },
        { header: '未交评委数', width: 11 },
      ],
      list.projects.map((p): CellValue[] => [
        p.rank,
        tieMark(p.rank, p.isTie),
        p.name,
        p.unitName,
        ...(hasGroupColumn ? [p.group ?? '未分组'] : []),
        p.category,
        num(p.score),
        p.sheetsCounted,
        p.trimmed ? '是' : '否',
        p.missing,
      ]),
      { title: `${tables.tourName} · 项目排名（${title}）`, banner },
    );
  }

  addTable(
    workbook,
    '单位排名',
    [
      { header: '排名范围', width: 12 },
      ...rankColumns,
      { header: '参评单位', width: 20 },
      ...(hasGroups ? [{ header: '分组', width: 10 }] : []),
      isRankVote ? { header: '有效排序票', width: 11 } : { header: '有得分的项目', width: 13 },
      { header: isRankVote ? VOTE_SCORE : '现场得分', width: 11, numFmt: NUM2 },
      ...(hasIndicator ? [{ header: '指标得分', width: 11, numFmt: NUM2 }] : []),
      { header: '综合得分', width: 11, numFmt: NUM2 },
      ...criteriaCols,
    ],
    tables.unitLists.flatMap((list) =>
      list.units.map((u): CellValue[] => [
        listTitle(list, listLabels),
        u.rank,
        tieMark(u.rank, u.isTie),
        u.name,
        ...(hasGroups ? [u.group ?? '未分组'] : []),
        isRankVote ? (u.ballots ?? 0) : u.projects,
        num(u.onSite),
        ...(hasIndicator ? [num(u.indicator)] : []),
        num(u.score),
        ...tables.criteria.map((c) => num(u.criterionMeans[c.key])),
      ]),
    ),
    { title: `${tables.tourName} · 单位排名`, banner },
  );

  if (isRankVote) {
    addBallotSheet(workbook, tables.tourName, tables.ballots, banner);
  } else {
    addTable(
      workbook,
      '分项平均',
      [{ header: '排名范围', width: 12 }, ...rankColumns, { header: '项目名称', width: 34 }, { header: '参评单位', width: 18 }, ...criteriaCols, { header: '得分', width: 10, numFmt: NUM2 }],
      tables.projectLists.flatMap((list) =>
        list.projects.map((p): CellValue[] => [listTitle(list, listLabels), p.rank, tieMark(p.rank, p.isTie), p.name, p.unitName, ...tables.criteria.map((c) => num(p.criterionMeans[c.key])), num(p.score)]),
      ),
      { title: `${tables.tourName} · 分项平均分`, banner },
    );

    addTable(
      workbook,
      '评分明细',
      [
        { header: '项目名称', width: 30 },
        { header: '参评单位', width: 16 },
        { header: '评委', width: 12 },
        ...criteriaCols,
        { header: '合计', width: 10, numFmt: NUM2 },
        { header: '计分情况', width: 12 },
        { header: '提交时间', width: 17, numFmt: DATE_TIME },
      ],
      tables.sheets.map((s): CellValue[] => [s.stopName, s.unitName, s.scorerName, ...tables.criteria.map((c) => s.scores[c.key] ?? null), num(s.total), sheetFateLabels[s.fate], excelTime(s.submittedAt)]),
      { banner },
    );
  }

  const hasPost = tables.scorers.some((s) => s.post !== null);
  addTable(
    workbook,
    '评委统计',
    [
      { header: '评委', width: 12 },
      ...(hasPost ? [{ header: '职务', width: 14 }] : []),
      { header: '所属单位（回避）', width: 18 },
      { header: '权重组', width: 10 },
      ...(isRankVote
        ? [
            { header: '已交排序票', width: 11 },
            { header: '无效排序票', width: 11 },
            { header: '未交排序票', width: 11 },
            { header: '平均给分', width: 10, numFmt: NUM2 },
          ]
        : [
            { header: '已提交', width: 8 },
            { header: '计入', width: 8 },
            { header: '去掉最高最低分', width: 15 },
            { header: '无效', width: 8 },
            { header: '回避', width: 8 },
            { header: '未交', width: 8 },
            { header: '平均给分', width: 10, numFmt: NUM2 },
            { header: '平均偏离', width: 10, numFmt: NUM2 },
            { header: '偏离提示', width: 12 },
          ]),
    ],
    tables.scorers.map((s): CellValue[] => [
      s.name,
      ...(hasPost ? [s.post] : []),
      s.homeUnitName,
      s.weightGroup,
      ...(isRankVote
        ? [s.submitted, s.excluded, s.missing, num(s.meanGiven)]
        : [
            s.submitted,
            s.counted,
            s.dropped,
            s.excluded,
            s.recused,
            s.missing,
            num(s.meanGiven),
            s.deviation?.meanDeviation == null ? null : Math.round(s.deviation.meanDeviation * 100) / 100,
            s.deviation?.isFlagged ? (s.deviation.direction === 'lenient' ? '偏高' : '偏低') : '',
          ]),
    ]),
    { banner },
  );

  return workbook;
}

/** 排名规则: the rules used, when, the tour's status, and what went in. */
function addRulesSheet(workbook: Workbook, tables: DeskTables, meta: WorkbookMeta, banner: string | null): void {
  const isRankVote = tables.method === 'rankVote';
  const totals = tables.scorers.reduce(
    (sum, s) => ({ submitted: sum.submitted + s.submitted, counted: sum.counted + s.counted, dropped: sum.dropped + s.dropped, excluded: sum.excluded + s.excluded, recused: sum.recused + s.recused, missing: sum.missing + s.missing }),
    { submitted: 0, counted: 0, dropped: 0, excluded: 0, recused: 0, missing: 0 },
  );
  const entry = isRankVote ? '排序票' : '评分表';
  const rows: CellValue[][] = [
    ['观摩活动', tables.tourName],
    ['活动状态', tourStatusLabels[meta.tourStatus]],
    ['规则状态', meta.isTrial ? '试算，未保存的规则（不是正式结果）' : '已保存的规则'],
    ['计算时间（北京时间）', wallClockAsUtcDate(meta.computedAt)],
    ...rulesStatement(tables.rules, { criteria: tables.criteria, groups: tables.groups }).map((line): CellValue[] => [line.rule, line.text]),
    [null, null],
    [`${entry}数量`, null],
    // submitted = counted + excluded (+ dropped for sheets): the engine's per-scorer tallies summed
    [`已提交${entry}`, totals.submitted],
    ...(isRankVote
      ? [
          ['计入的排序票', totals.submitted - totals.excluded],
          ['无效的排序票', totals.excluded],
          ['未交的排序票', totals.missing],
        ]
      : [
          ['计入得分的评分表', totals.counted],
          ['去掉的最高分和最低分', totals.dropped],
          ['无效的评分表', totals.excluded],
          ['未交的评分表', totals.missing],
          ['回避（本单位项目，不需评分）', totals.recused],
        ]),
  ];
  const sheet = addTable(workbook, '排名规则', [{ header: '事项', width: 26 }, { header: '内容', width: 90, wrap: true }], rows, { title: `${tables.tourName} · 排名规则与数据说明`, banner });
  sheet.eachRow((row) => {
    const value = row.getCell(2).value;
    if (value instanceof Date) row.getCell(2).numFmt = DATE_TIME_SECONDS;
    if (typeof value === 'number') row.getCell(2).alignment = { horizontal: 'left' };
    if (row.getCell(1).value === `${entry}数量`) row.font = { bold: true };
  });
}

/** 投票明细: every ballot, unit by unit, with its points and fate (rank-vote tours). */
function addBallotSheet(workbook: Workbook, tourName: string, rows: readonly BallotRow[], banner: string | null): void {
  addTable(
    workbook,
    '投票明细',
    [
      { header: '评委', width: 12 },
      { header: '排名范围', width: 12 },
      { header: '票上名次', width: 9 },
      { header: '参评单位', width: 20 },
      { header: '得分', width: 8, numFmt: NUM2 },
      { header: '计分情况', width: 30 },
      { header: '提交时间', width: 17, numFmt: DATE_TIME },
    ],
    rows.map((r): CellValue[] => [
      r.scorerName,
      r.list ? listTitle(r.list, listLabels) : (r.ballotGroup ?? '全部单位'),
      r.place,
      r.unitName,
      r.points,
      r.fate === 'excluded' ? `${ballotFateLabels.excluded}：${ballotExclusionLabels[r.excludedReason ?? ''] ?? r.excludedReason ?? ''}` : ballotFateLabels[r.fate],
      excelTime(r.submittedAt),
    ]),
    { title: `${tourName} · 投票明细（每张排序票逐个单位列出）`, banner },
  );
}

/** The workbook as .xlsx bytes. */
export async function workbookBytes(workbook: Workbook): Promise<Uint8Array<ArrayBuffer>> {
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer) as Uint8Array<ArrayBuffer>;
}

/** 崇川区观摩-成绩汇总-2026-11-22.xlsx; 崇川区观摩-成绩汇总（试算）-2026-11-22.xlsx for trial rules */
export function workbookFileName(tourName: string, exportedOn: string, isTrial = false): string {
  const safe = tourName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ').trim().slice(0, 120) || '观摩';
  return `${safe}-成绩汇总${isTrial ? '（试算）' : ''}-${exportedOn}.xlsx`;
}
