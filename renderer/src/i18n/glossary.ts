/**
 * The glossary: one term per concept, in Chinese (as a city's secretariat speaks and writes) and
 * in English, with the synonyms the app no longer uses. Every catalog value (zh-CN, en) and
 * every Chinese-only output (the workbook, the bulletin, the server's and the importers'
 * messages) says each concept with its term; glossary.test.ts fails naming the message key or
 * file and the term to use when a retired synonym comes back.
 *
 * Adding a string: use the terms below. Adding a concept, or retiring a word: add it here (the
 * test then guards it). A retired word that means something else in one message is allowed for
 * that message key only (`allowIn`), with the reason beside it.
 *
 * Decisions worth knowing (why the term, not the synonym):
 * - 评分表 is one scorer's filled form for one project (张); the blank form the secretariat
 *   designs is the 评分表模板. In speech both are "评分表"; the app must tell "3 张评分表未交"
 *   from "还没有评分表模板" (nothing to score with), and 模板 is an everyday office word (WPS,
 *   Word). The template's own title (e.g. 《重点项目观摩评议表》) is the secretariat's name for
 *   the document and is printed as they wrote it; 评议表 / 计分表 are not our words for either.
 * - 排序票 is one scorer's ranked list of units in a rank vote: it pairs with 排序投票 (the
 *   method) and 排序得分 (the score it gives) the way 评分表 pairs with 评分; 选票 suggests an
 *   election of persons, and 投票表 / 排序表 name no single thing.
 * - The two rank scopes are 项目排名范围 and 单位排名范围, each 全部统一排名 or 各组分别排名:
 *   the editor, the rankings page, the workbook and the bulletin say exactly these words.
 * - 秘书处 is the office everywhere (it is the role's and the desk's name); 观摩办 is one city's
 *   name for it.
 * - 项目 is what is visited and scored; 第3站 (en "stop 3") is only its place in the itinerary.
 */

import type { Message } from './message';

export type GlossaryLanguage = 'zh' | 'en';

export interface RetiredTerm {
  /** the retired wording, as a reader would spot it */
  term: string;
  /** how it is found in a text; default: the term itself, literally */
  pattern?: RegExp;
  /** message keys where the same letters mean something else (reason in a comment) */
  allowIn?: readonly string[];
}

export interface GlossaryEntry {
  /** what the term names */
  concept: string;
  zh: string;
  en: string;
  /** short forms, measure words, and what the term is not */
  note?: string;
  retired: { readonly zh: readonly RetiredTerm[]; readonly en: readonly RetiredTerm[] };
}

const word = (term: string, pattern?: RegExp, allowIn?: readonly string[]): RetiredTerm => ({ term, ...(pattern ? { pattern } : {}), ...(allowIn ? { allowIn } : {}) });

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    concept: 'a tour: the visit of several units’ projects, scored or for study',
    zh: '观摩活动',
    en: 'tour',
    note: '活动 for short inside a tour’s own pages',
    retired: { zh: [], en: [] },
  },
  {
    concept: 'a project visited and scored on the tour',
    zh: '项目',
    en: 'project',
    note: '观摩项目 where the context needs it; 第3站 / “stop 3” is only its place in the itinerary',
    retired: {
      // 计分项目 reads as 评分项目 (a criterion): say 有得分的项目
      zh: [word('点位'), word('观摩点'), word('计分项目')],
      en: [
        // “Stop {order}”, “stop {order} of {day}”: the place in the itinerary (第…站); “stops working”: the verb
        word('stop (for a project)', /(?<!\{)\bstops?\b(?!\})(?! \{(?:order|index)\})(?! working)/i, [
          'stopPage.nav', // 上一站和下一站: places in the itinerary
          'photos.cancel', // the verb: stop importing
        ]),
      ],
    },
  },
  {
    concept: 'the secretariat’s table of the tour’s projects in itinerary order (imported)',
    zh: '行程表',
    en: 'itinerary table',
    retired: { zh: [word('点位表')], en: [word('tour table'), word('stops table')] },
  },
  {
    concept: 'a host unit whose projects are visited and which is ranked (县市区, 开发区, 街道)',
    zh: '参评单位',
    en: 'unit',
    note: '单位 in compounds: 单位排名, 单位得分, 本单位',
    retired: {
      zh: [word('县市区'), word('被观摩单位'), word('所在单位')],
      en: [word('host unit'), word('county / district', /count(?:y|ies) \/ district/i)],
    },
  },
  {
    concept: 'the group a unit is ranked in (县组, 区组)',
    zh: '分组',
    en: 'group',
    note: '未分组 / no group; not the scorers’ 权重组',
    retired: { zh: [word('排名分组'), word('单位分组')], en: [word('ranking group'), word('unit group'), word('ungrouped')] },
  },
  {
    concept: 'the unit a scorer belongs to, whose projects (or place on a ballot) they recuse from',
    zh: '所属单位',
    en: 'home unit',
    retired: { zh: [word('回避单位')], en: [word('recuses for')] },
  },
  {
    concept: 'a person who scores (or ranks, in a rank vote)',
    zh: '评委',
    en: 'scorer',
    retired: { zh: [word('评分人'), word('打分人'), word('评分员')], en: [word('judge'), word('rater'), word('voter')] },
  },
  {
    concept: 'a person on a tour who does not score (photos and notes only)',
    zh: '观摩人员',
    en: 'observer',
    retired: { zh: [word('观摩员')], en: [word('visitor')] },
  },
  {
    concept: 'the office that prepares tours, follows the scoring and publishes the results',
    zh: '秘书处',
    en: 'secretariat',
    retired: { zh: [word('观摩办'), word('组委会')], en: [word('tour office')] },
  },
  {
    concept: 'a set of scorers averaged together and weighted against the other sets (市领导, 部门)',
    zh: '权重组',
    en: 'weight group',
    note: 'the rule: 按权重组加权 / weighted by weight group',
    retired: { zh: [word('评委分组'), word('权重分组'), word('评委组')], en: [word('scorer group')] },
  },
  {
    concept: 'one scorer’s filled form for one project',
    zh: '评分表',
    en: 'score sheet',
    note: 'measure word 张 (3 张评分表); “sheet” for short in English',
    retired: {
      zh: [word('评议表'), word('计分表'), word('打分表'), word('评分单'), word('份评分表', /份(?:未交的|有效的?|已提交的?)?评分表/)],
      en: [word('scoring sheet'), word('score form')],
    },
  },
  {
    concept: 'the blank form the secretariat designs: criteria, points, step, guidance',
    zh: '评分表模板',
    en: 'score sheet template',
    note: 'its own title (e.g. 《观摩评议表》) is the secretariat’s and is printed as written',
    retired: { zh: [word('评分模板')], en: [word('score template')] },
  },
  {
    concept: 'one line of the score sheet, scored separately (项目规模, 建设进度…)',
    zh: '评分项目',
    en: 'criterion',
    note: '分项 (per criterion) in 分项平均分',
    retired: { zh: [word('评分项 (without 目)', /评分项(?!目)/), word('评分指标')], en: [word('scoring item')] },
  },
  {
    concept: 'the method where each scorer ranks the units and rank r earns 100 − 3(r − 1) points',
    zh: '排序投票',
    en: 'rank vote',
    note: 'the method only; one scorer’s list is a 排序票',
    retired: { zh: [], en: [word('ranking vote')] },
  },
  {
    concept: 'one scorer’s ranked list of units in a rank vote',
    zh: '排序票',
    en: 'ballot',
    note: 'measure word 张',
    retired: {
      zh: [word('选票'), word('投票表'), word('排序表'), word('份排序投票', /[份张]排序投票/), word('份排序票')],
      en: [word('ranking ballot'), word('rank-vote ballot'), word('rank votes (for ballots)', /\brank votes\b|\{count\} rank vote\b/)],
    },
  },
  {
    concept: 'a unit’s mean of the points its ballots give it',
    zh: '排序得分',
    en: 'vote score',
    retired: { zh: [word('投票得分'), word('排序分', /排序分(?!别)/)], en: [word('rank score'), word('ballot score')] },
  },
  {
    concept: 'a unit’s score from its projects’ scores (mean, or weighted by investment)',
    zh: '现场得分',
    en: 'on-site score',
    retired: { zh: [word('现场评分')], en: [word('site score', /(?<!on-)\bsite score/i)] },
  },
  {
    concept: 'a unit’s score given from outside the tour (0–100), blended in with a weight',
    zh: '指标得分',
    en: 'indicator score',
    retired: { zh: [], en: [] },
  },
  {
    concept: 'the unit’s score it is ranked by: on-site (or vote) score blended with the indicator score',
    zh: '综合得分',
    en: 'overall score',
    retired: { zh: [word('总得分')], en: [] },
  },
  {
    concept: 'the tour’s ranking rules, saved with the tour (method, trimming, weights, recusal, scopes, ties)',
    zh: '排名规则',
    en: 'ranking rules',
    note: 'the bulletin’s section stating them is 评议办法, the official document’s heading',
    retired: { zh: [word('计分规则'), word('评分规则'), word('计分办法')], en: [word('scoring rules')] },
  },
  {
    concept: 'dropping the k highest and k lowest scores before averaging, from a number of sheets on',
    zh: '去掉最高分和最低分',
    en: 'drop the highest and lowest scores',
    note: '去掉最高最低分 in column headers; the threshold: 至少有几张评分表（排序票）时才去掉',
    retired: {
      zh: [word('去高去低'), word('去高低'), word('去分', /(?<!除)去分/), word('去掉最高分、最低分')],
      en: [word('high/low dropped'), word('trimmed'), word('trimming')],
    },
  },
  {
    concept: 'where a project is ranked: all projects together, or within its unit’s group',
    zh: '项目排名范围',
    en: 'project ranking scope',
    note: 'its two choices are the rank-scope words below',
    retired: { zh: [], en: [] },
  },
  {
    concept: 'where a unit is ranked: all units together, or within its group',
    zh: '单位排名范围',
    en: 'unit ranking scope',
    retired: { zh: [], en: [] },
  },
  {
    concept: 'rank scope: one ranking over the whole tour',
    zh: '全部统一排名',
    en: 'all together',
    retired: { zh: [word('统一排名 (without 全部)', /(?<!全部)统一排名/)], en: [] },
  },
  {
    concept: 'rank scope: one ranking per group (县组, 区组)',
    zh: '各组分别排名',
    en: 'each group separately',
    retired: { zh: [word('分组排名'), word('按分组分别排名'), word('分组分别排名'), word('组内排名')], en: [word('within groups'), word('per group ranking')] },
  },
  {
    concept: 'the secretariat sends a submitted sheet or ballot back to its scorer to change (audited)',
    zh: '退回',
    en: 'send back',
    note: 'the state: 已退回 / sent back',
    retired: {
      zh: [word('重新开放'), word('打回'), word('驳回'), word('已退回修改')],
      en: [
        // not inside a placeholder ({reopened} names a value for the code, not a word the user reads)
        word('reopen', /(?<!\{)\breopen/i),
        word('return (a sheet or ballot)', /\breturn(?:ed|ing)?\b(?=[^.;:]*\b(?:sheet|ballot)s?\b)|\bbeen returned\b|^Return(?:ed)?$|\bfor returning\b/i),
      ],
    },
  },
  {
    concept: 'a scorer hands in a sheet or ballot, which locks it',
    zh: '提交',
    en: 'submit',
    retired: { zh: [word('上交')], en: [word('hand in')] },
  },
  {
    concept: 'a site note: 亮点 / 问题 / 建议',
    zh: '记录',
    en: 'note',
    retired: { zh: [word('笔记')], en: [] },
  },
  {
    concept: 'the server’s record of who sent back which sheet or ballot, and why',
    zh: '审计日志',
    en: 'audit log',
    retired: { zh: [word('操作日志')], en: [] },
  },
  {
    concept: 'a tour whose results the secretariat has published',
    zh: '结果已公布',
    en: 'results published',
    retired: { zh: [word('已公布结果')], en: [] },
  },
  {
    concept: 'rules changed on the rankings page and not saved: figures computed with them are a trial',
    zh: '试算',
    en: 'trial',
    note: '试算，未保存的规则 / trial rules, not saved',
    retired: { zh: [word('预览规则')], en: [word('preview rules')] },
  },
];

export interface RetiredFinding {
  /** a message key, or a file (and line) */
  where: string;
  /** the retired wording found */
  found: string;
  /** the term to use */
  use: string;
  concept: string;
}

/** Retired synonyms in one text of a language; `key` (a message key) lets an `allowIn` apply. */
export function findRetired(text: string, language: GlossaryLanguage, where: string, key?: string): RetiredFinding[] {
  const findings: RetiredFinding[] = [];
  for (const entry of GLOSSARY) {
    for (const retired of entry.retired[language]) {
      if (key !== undefined && retired.allowIn?.includes(key)) continue;
      // English words match whole words, any case; Chinese has no word boundaries
      const pattern = retired.pattern ?? (language === 'en' ? new RegExp(`\\b${escapeRegExp(retired.term)}\\b`, 'i') : new RegExp(escapeRegExp(retired.term)));
      const match = pattern.exec(text);
      if (match) findings.push({ where, found: match[0], use: entry[language], concept: entry.concept });
    }
  }
  return findings;
}

/** Every text of a catalog (a plural message's forms too) checked against the glossary. */
export function findRetiredInCatalog(catalog: Readonly<Record<string, Message>>, language: GlossaryLanguage, label: string): RetiredFinding[] {
  return Object.entries(catalog).flatMap(([key, message]) => {
    const texts = typeof message === 'string' ? [message] : Object.values(message).filter((t): t is string => typeof t === 'string');
    return texts.flatMap((text) => findRetired(text, language, `${label} ${key}`, key));
  });
}

/** “zh-CN desk.rules.minSheets: “评议表” is retired; say “评分表” (one scorer’s filled form …)” */
export function describeFinding(f: RetiredFinding): string {
  return `${f.where}: “${f.found}” is retired; say “${f.use}” (${f.concept})`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
