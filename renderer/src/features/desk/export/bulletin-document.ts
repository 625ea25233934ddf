/**
 * What the bulletin (通报) prints, pure: its title, the sentences around the tables, the ranking
 * tables (units, then projects) with their headings and columns, and which projects get a photo
 * page. BulletinPage lays it out; the tests read it without React.
 *
 * What must stay true:
 * - Lists follow the tour's order of groups (shared/domain/tour-order.ts), never code points or
 *   pinyin; rows keep the engine's order (rank, then itinerary).
 * - Which lists exist is read from the tables, not assumed from the rules: project lists are the
 *   lists with projects, unit lists the lists with units (so a project list over the whole tour
 *   next to unit lists within groups needs no change here).
 * - Only what applies is printed: no project tables for a rank vote, a 分组 column only where a
 *   list mixes groups, 现场得分 / 指标得分 only when the indicator is blended in, 有效排序票 only for
 *   a rank vote, no photo page for a project without a photo.
 */
import type { Stop, Tour, Unit } from '@shared/domain/schemas';
import { groupComparator, groupsInTourOrder, stopsInItineraryOrder } from '@shared/domain/tour-order';
import { formatDateRange } from '../../../i18n/format';
import type { DeskTables, ListScope, ProjectRow, UnitRow } from '../rankings/ranking-tables';
import { rulesSentence } from './rules-sentence';

/** the document's name for units without a group */
export const DEFAULT_GROUP_NAME = '未分组';

export interface BulletinUnitTable {
  key: string;
  /** （一）县组; null when the section has one table */
  heading: string | null;
  rows: UnitRow[];
  hasGroupColumn: boolean;
  /** the indicator is blended in: 现场得分 and 指标得分 beside the score */
  hasIndicatorColumns: boolean;
  /** rank vote: 有效排序票 */
  hasBallotColumn: boolean;
}

export interface BulletinProjectRow extends ProjectRow {
  group: string | null;
}

export interface BulletinProjectTable {
  key: string;
  heading: string | null;
  rows: BulletinProjectRow[];
  hasGroupColumn: boolean;
}

export interface BulletinSection<T> {
  /** 一、参评单位排名 */
  heading: string;
  tables: T[];
}

export interface BulletinDocument {
  /** 关于…结果的通报 */
  title: string;
  /** 2018年12月3日至4日 */
  period: string;
  /** the opening paragraph */
  opening: string;
  units: BulletinSection<BulletinUnitTable> | null;
  projects: BulletinSection<BulletinProjectTable> | null;
  /** 评议办法 */
  method: BulletinSection<never> & { sentence: string };
  /** footnotes under the tables (what “—” means), once each */
  notes: string[];
}

export interface BulletinInput {
  tour: Pick<Tour, 'name' | 'startDate' | 'endDate' | 'template' | 'rules'>;
  units: readonly Unit[];
  stops: readonly Stop[];
  /** the computed tables; their `rules` (saved, or the secretariat's trial) are the rules in force */
  tables: Pick<DeskTables, 'projectLists' | 'unitLists' | 'method' | 'rules'>;
}

export function buildBulletinDocument({ tour, units, stops, tables }: BulletinInput): BulletinDocument {
  const unitById = new Map(units.map((u) => [u.id, u]));
  const groupOfStop = new Map(stops.map((s) => [s.id, unitById.get(s.unitId)?.group ?? null]));
  const tourGroups = groupsInTourOrder(units, stops);
  const byGroup = groupComparator(units, stops);
  // the list over the whole tour first, then the groups in the order the itinerary reaches them
  const inOrder = <L extends ListScope>(lists: readonly L[]) => [...lists].sort((a, b) => Number(b.scope === 'tour') - Number(a.scope === 'tour') || byGroup(a.group, b.group));
  const isGrouped = tourGroups.length > 1;
  const isRankVote = tables.method === 'rankVote';
  const rules = tables.rules;
  const isBlended = rules.indicatorWeight > 0;

  const unitLists = inOrder(tables.unitLists).filter((l) => l.units.length > 0);
  const projectLists = isRankVote ? [] : inOrder(tables.projectLists).filter((l) => l.projects.length > 0);
  const subHeading = (lists: readonly ListScope[], list: ListScope, i: number) => (lists.length > 1 ? `（${chineseNumeral(i + 1)}）${listName(list)}` : null);

  const unitTables = unitLists.map(
    (list, i): BulletinUnitTable => ({
      key: listKey(list),
      heading: subHeading(unitLists, list, i),
      rows: list.units,
      hasGroupColumn: isGrouped && new Set(list.units.map((u) => u.group)).size > 1,
      hasIndicatorColumns: isBlended,
      hasBallotColumn: isRankVote,
    }),
  );
  const projectTables = projectLists.map((list, i): BulletinProjectTable => {
    const rows = list.projects.map((p) => ({ ...p, group: groupOfStop.get(p.stopId) ?? null }));
    return { key: listKey(list), heading: subHeading(projectLists, list, i), rows, hasGroupColumn: isGrouped && new Set(rows.map((r) => r.group)).size > 1 };
  });

  const sections = [unitTables.length > 0 ? 'units' : null, projectTables.length > 0 ? 'projects' : null, 'method'].filter((s) => s !== null);
  const numbered = (name: string) => `${chineseNumeral(sections.indexOf(name) + 1)}、`;
  const period = formatDateRange(tour.startDate, tour.endDate, 'zh-CN');

  const notes: string[] = [];
  if (projectTables.some((t) => t.rows.some((r) => r.rank === null))) notes.push('项目名次、得分为“—”的，没有有效评分表，不参加排名。');
  const unranked = unitTables.flatMap((t) => t.rows.filter((r) => r.rank === null));
  for (const [reason, why] of Object.entries(unrankedWording)) {
    const names = unranked.filter((u) => u.unranked === reason).map((u) => u.name);
    if (names.length > 0) notes.push(`${names.join('、')}${why}，不参加排名。`);
  }

  return {
    title: `关于${tour.name}结果的通报`,
    period,
    opening: `${tour.name}于${period}举行，共观摩${units.length}个参评单位的${stops.length}个项目。现将评议结果通报如下。`,
    units: unitTables.length > 0 ? { heading: `${numbered('units')}参评单位排名`, tables: unitTables } : null,
    projects: projectTables.length > 0 ? { heading: `${numbered('projects')}项目排名`, tables: projectTables } : null,
    method: { heading: `${numbered('method')}评议办法`, tables: [], sentence: rulesSentence(tour, rules, { groups: tourGroups }) },
    notes,
  };
}

/** why a unit has no rank (the engine's UnrankedReason), as the bulletin's footnote says it */
const unrankedWording: Record<string, string> = {
  noScoredProjects: '的项目没有有效评分表',
  noBallots: '没有有效排序票',
  missingIndicator: '缺少指标得分',
};

/** The stops that get a photo page: those with a cover photo here, in itinerary order. */
export function photoPageStops<S extends Pick<Stop, 'id' | 'day' | 'order'>>(stops: readonly S[], hasPhoto: (stopId: string) => boolean): S[] {
  return stopsInItineraryOrder(stops).filter((s) => hasPhoto(s.id));
}

/** A list's name in the document: the group, or 全部 for the list over the whole tour. */
export function listName(list: ListScope): string {
  if (list.scope === 'tour') return '全部';
  return list.group ?? DEFAULT_GROUP_NAME;
}

/** 得分 86.50 · 县组第2名（并列）; 全部 lists say only the rank. For the photo pages. */
export function projectStanding(row: Pick<ProjectRow, 'score' | 'rank' | 'isTie'>, list: ListScope): string {
  if (row.score === null || row.rank === null) return '未计分（没有有效评分表）';
  const where = list.scope === 'tour' ? '' : listName(list);
  return `得分${row.score.display}，${where}第${row.rank}名${row.isTie ? '（并列）' : ''}`;
}

/** 名次 as printed: 3, 3（并列）, or — for an unranked row. */
export function documentRank(rank: number | null, isTie: boolean): string {
  if (rank === null) return '—';
  return isTie ? `${rank}（并列）` : String(rank);
}

/**
 * The title cut into the pieces a line may break between, so that a two-line title breaks between
 * words as GB/T 9704 asks (回行时词意完整): "关于聊城市2018年度重点项目 / 现场观摩评议结果的通报", not
 * "…重点项 / 目…". A break is allowed only between two words of two or more characters each
 * (the segmenter splits names it does not know, such as 观摩评议 or 聊城, into single characters:
 * those stay with their neighbours), never next to a number, nor inside the compounds of the
 * trade (重点项目, 现场观摩). Without a word segmenter: one piece (the page breaks as it must).
 */
/** words of the trade that a title line never splits (their parts are words of their own) */
const TITLE_COMPOUNDS = ['重点项目', '现场观摩', '观摩评议', '项目观摩'];

export function titlePieces(title: string): string[] {
  const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (!Segmenter) return [title];
  const words = [...new Segmenter('zh-CN', { granularity: 'word' }).segment(title)].map((s) => s.segment);
  const isBreakable = (word: string) => [...word].length >= 2 && /^\p{Script=Han}+$/u.test(word);
  const isInCompound = (before: string, after: string) => TITLE_COMPOUNDS.some((c) => c.length > before.length && c.startsWith(before) && c.slice(before.length) === after.slice(0, c.length - before.length));
  const pieces: string[] = [];
  for (const [i, word] of words.entries()) {
    if (i > 0 && isBreakable(word) && isBreakable(words[i - 1]!) && !isInCompound(words[i - 1]!, word)) pieces.push(word);
    else if (pieces.length === 0) pieces.push(word);
    else pieces[pieces.length - 1] += word;
  }
  return pieces;
}

function listKey(list: ListScope): string {
  return list.scope === 'tour' ? 'overall' : `group:${list.group ?? ''}`;
}

const DIGITS = '〇一二三四五六七八九';

/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99; section and sub-section numbers). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS[tens]}十`}${ones === 0 ? '' : DIGITS[ones]}`;
}
