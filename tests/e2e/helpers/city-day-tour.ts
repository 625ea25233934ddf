/**
 * The city tour of the secretariat-day suite, as the secretariat's own tables hold it: the
 * itinerary (观摩点位表, CSV as Excel saves it: UTF-8 with BOM, CRLF), the scorer list pasted
 * from Excel (tab-separated), and what every scorer types on every sheet.
 *
 * Six units of 聊城 in two groups, two projects each over two days: 县组 on the first day, 区组
 * on the second. Neither the groups nor the units within them are in pinyin order (区组 sorts
 * before 县组; 临清 before 莘县 before 阳谷; 茌平 before 东昌府), so only the tour's own order
 * puts them as the itinerary has them. Fifteen scorers: four city leaders, the six unit heads
 * (who recuse from their own unit's projects) and five heads of city departments.
 * Names and figures are illustrative.
 */

export const CITY_TOUR_NAME = '聊城市2026年一季度重点项目现场观摩评议';

export interface CityUnit {
  name: string;
  /** how the scorer list writes it (clerks shorten 阳谷县 to 阳谷) */
  short: string;
  group: '县组' | '区组';
  day: string;
  projects: readonly [string, string];
}

export const CITY_UNITS: readonly CityUnit[] = [
  { name: '莘县', short: '莘县', group: '县组', day: '2026-03-18', projects: ['莘县鲁西新材料产业园', '莘县智慧物流园'] },
  { name: '阳谷县', short: '阳谷', group: '县组', day: '2026-03-18', projects: ['阳谷祥光铜业阴极铜扩建项目', '阳谷县电缆产业园'] },
  { name: '临清市', short: '临清', group: '县组', day: '2026-03-18', projects: ['临清轴承产业园', '临清市运河古城保护工程'] },
  { name: '东昌府区', short: '东昌府区', group: '区组', day: '2026-03-19', projects: ['中通客车新能源客车扩建项目', '东昌府区古城保护与更新'] },
  { name: '茌平区', short: '茌平', group: '区组', day: '2026-03-19', projects: ['茌平信发铝精深加工项目', '茌平区新能源汽车零部件产业园'] },
  { name: '高新区', short: '高新区', group: '区组', day: '2026-03-19', projects: ['高新区生物医药产业园', '高新区科技创新中心'] },
];

export interface CityProject {
  /** 0-based position in the itinerary */
  index: number;
  name: string;
  unit: CityUnit;
}

/** The projects in itinerary order. */
export const CITY_PROJECTS: readonly CityProject[] = CITY_UNITS.flatMap((unit, u) => unit.projects.map((name, k) => ({ index: u * 2 + k, name, unit })));

/** The itinerary table as the secretariat's Excel saves it as CSV (the columns of /work/shared/data/tour-*.csv). */
export function cityTourCsv(): string {
  const lines = ['序号,观摩日期,顺序,县市区,分组,项目名称,项目类型,总投资(万元),已完成投资(万元),建设内容,经度,纬度,地址'];
  const orderOnDay = new Map<string, number>();
  for (const p of CITY_PROJECTS) {
    const order = (orderOnDay.get(p.unit.day) ?? 0) + 1;
    orderOnDay.set(p.unit.day, order);
    const lng = (115.6 + p.index * 0.07).toFixed(5);
    const lat = (36.3 + p.index * 0.04).toFixed(5);
    lines.push([p.index + 1, p.unit.day, order, p.unit.name, p.unit.group, p.name, '工业', 60_000 + p.index * 5_000, 30_000 + p.index * 2_000, '"(示例)工业项目,建设内容以主办单位材料为准"', lng, lat, `聊城市${p.unit.name}`].join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export interface CityScorer {
  name: string;
  /** 账号 as the list gives it; null: the desk proposes one from the name */
  username: string | null;
  post: string;
  /** the home unit as the list writes it (short), null for leaders and departments */
  unit: string | null;
}

export const CITY_SCORERS: readonly CityScorer[] = [
  { name: '市领导1', username: 'sld1', post: '市委书记', unit: null },
  { name: '市领导2', username: 'sld2', post: '市长', unit: null },
  { name: '市领导3', username: 'sld3', post: '市委副书记', unit: null },
  { name: '市领导4', username: 'sld4', post: '常务副市长', unit: null },
  { name: '莘县书记', username: null, post: '县委书记', unit: '莘县' },
  { name: '阳谷县书记', username: null, post: '县委书记', unit: '阳谷' },
  { name: '临清市书记', username: null, post: '市委书记', unit: '临清' },
  { name: '东昌府区书记', username: null, post: '区委书记', unit: '东昌府区' },
  { name: '茌平区书记', username: null, post: '区委书记', unit: '茌平' },
  { name: '高新区书记', username: null, post: '党工委书记', unit: '高新区' },
  { name: '市发改委主任', username: 'fgw', post: '市发改委主任', unit: null },
  { name: '市工信局局长', username: 'gxj', post: '市工信局局长', unit: null },
  { name: '市住建局局长', username: 'zjj', post: '市住建局局长', unit: null },
  { name: '市商务局局长', username: 'swj', post: '市商务局局长', unit: null },
  { name: '市自然资源局局长', username: 'zrj', post: '市自然资源和规划局局长', unit: null },
];

/** The scorer's home unit (full name), or null. */
export function homeUnitOf(scorer: CityScorer): CityUnit | null {
  return scorer.unit === null ? null : (CITY_UNITS.find((u) => u.short === scorer.unit) ?? null);
}

/** The list as Excel puts it on the clipboard: tab-separated, header first, CRLF. */
export function cityScorersPaste(): string {
  const rows = [['序号', '姓名', '账号', '职务', '所属单位', '权重组']];
  CITY_SCORERS.forEach((s, i) => rows.push([String(i + 1), s.name, s.username ?? '', s.post, s.unit ?? '', '']));
  return rows.map((r) => r.join('\t')).join('\r\n') + '\r\n';
}

/** The template's criteria (template-standard.csv): name, max; every step is 0.5. */
export const CITY_CRITERIA = [
  { name: '项目规模', max: 20 },
  { name: '建设进度', max: 25 },
  { name: '科技含量与产业层次', max: 20 },
  { name: '综合效益', max: 20 },
  { name: '现场组织与汇报', max: 15 },
] as const;

/**
 * Projects every scorer gives the same total (the split between the first two criteria differs
 * by scorer): ties on purpose. 莘县智慧物流园 and 中通客车 tie in the whole-tour project list
 * (84.5); 茌平区 (80 and 90) and 高新区 (86 and 84) tie as units in 区组 (85).
 */
const FIXED: Readonly<Record<string, readonly number[]>> = {
  莘县智慧物流园: [17, 21, 16.5, 17, 13],
  中通客车新能源客车扩建项目: [17, 21, 16.5, 17, 13],
  茌平信发铝精深加工项目: [16, 20, 16, 16, 12],
  茌平区新能源汽车零部件产业园: [18, 23, 18, 18, 13],
  高新区生物医药产业园: [17.5, 21.5, 17, 17, 13],
  高新区科技创新中心: [17, 21, 17, 16, 13],
};

/** What scorer `s` (position in the list) types on project `p`, criterion by criterion. */
export function typedScores(s: number, p: CityProject): number[] {
  const fixed = FIXED[p.name];
  if (fixed) return fixed.map((v, k) => (s % 2 === 1 && k === 0 ? v - 0.5 : s % 2 === 1 && k === 1 ? v + 0.5 : v));
  return CITY_CRITERIA.map((c, k) => Math.floor(2 * c.max * (0.6 + ((s * 7 + p.index * 13 + k * 5) % 37) / 100)) / 2);
}

/** The projects scorer `s` scores (all but their own unit's), in itinerary order. */
export function projectsOf(s: number): CityProject[] {
  const home = homeUnitOf(CITY_SCORERS[s]!);
  return CITY_PROJECTS.filter((p) => p.unit !== home);
}
