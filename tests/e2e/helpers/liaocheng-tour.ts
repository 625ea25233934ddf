/**
 * A city tour the size of the issue's: eleven host units of 聊城 in two ranking groups (县组 first
 * in the itinerary, then 区组), two projects each over two days, and the scorer list a
 * secretariat pastes from Excel for it: four city leaders (市领导1–4, with accounts named in the
 * list) and eleven unit heads who recuse from their own units (no 账号 column value: the desk
 * proposes one from the name), their units written short as clerks do (阳谷 for 阳谷县).
 * Names and figures are illustrative.
 */
export const LIAOCHENG_UNITS = [
  { name: '临清市', group: '县组', short: '临清', head: '临清市书记', post: '市委书记' },
  { name: '阳谷县', group: '县组', short: '阳谷', head: '阳谷县书记', post: '县委书记' },
  { name: '莘县', group: '县组', short: '莘县', head: '莘县书记', post: '县委书记' },
  { name: '东阿县', group: '县组', short: '东阿', head: '东阿县书记', post: '县委书记' },
  { name: '冠县', group: '县组', short: '冠县', head: '冠县书记', post: '县委书记' },
  { name: '高唐县', group: '县组', short: '高唐', head: '高唐县书记', post: '县委书记' },
  { name: '东昌府区', group: '区组', short: '东昌府', head: '东昌府区书记', post: '区委书记' },
  { name: '茌平区', group: '区组', short: '茌平', head: '茌平区书记', post: '区委书记' },
  { name: '经济技术开发区', group: '区组', short: '经济技术开发区', head: '经开区书记', post: '党工委书记' },
  { name: '高新区', group: '区组', short: '高新区', head: '高新区书记', post: '党工委书记' },
  { name: '度假区', group: '区组', short: '度假区', head: '度假区书记', post: '党工委书记' },
] as const;

const PROJECT_KINDS = ['智能制造产业园', '新材料项目'] as const;

/** The itinerary table (观摩点位表) as CSV: 22 projects, 11 on each of two days. */
export function liaochengTourCsv(): string {
  const lines = ['序号,观摩日期,顺序,县市区,分组,项目名称,项目类型,总投资(万元)'];
  let no = 0;
  LIAOCHENG_UNITS.forEach((unit, u) => {
    PROJECT_KINDS.forEach((kind, k) => {
      no++;
      const day = u < 6 ? '2021-11-23' : '2021-11-24';
      const order = (u < 6 ? u : u - 6) * 2 + k + 1;
      lines.push(`${no},${day},${order},${unit.name},${unit.group},${unit.name.replace(/[市县区]$/, '')}${kind},工业,${50_000 + no * 1000}`);
    });
  });
  return lines.join('\n') + '\n';
}

export type ListedScorer = { name: string; username: string | null; post: string; unit: string | null; weightGroup: string };

/** The 15 people of the list, in its order. */
export const LIAOCHENG_SCORERS: readonly ListedScorer[] = [
  { name: '市领导1', username: 'sld1', post: '市委书记', unit: null, weightGroup: '市领导' },
  { name: '市领导2', username: 'sld2', post: '市长', unit: null, weightGroup: '市领导' },
  { name: '市领导3', username: 'sld3', post: '市委副书记', unit: null, weightGroup: '市领导' },
  { name: '市领导4', username: 'sld4', post: '常务副市长', unit: null, weightGroup: '市领导' },
  ...LIAOCHENG_UNITS.map((u) => ({ name: u.head, username: null, post: u.post, unit: u.short, weightGroup: '县区' })),
];

/** The list as Excel puts it on the clipboard: tab-separated, header first, CRLF, a final line break. */
export function liaochengScorersPaste(): string {
  const rows = [['序号', '姓名', '账号', '职务', '所属单位', '权重组']];
  LIAOCHENG_SCORERS.forEach((s, i) => rows.push([String(i + 1), s.name, s.username ?? '', s.post, s.unit ?? '', s.weightGroup]));
  return rows.map((r) => r.join('\t')).join('\r\n') + '\r\n';
}
