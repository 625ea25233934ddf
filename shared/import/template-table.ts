/**
 * The score sheet table (观摩评议表 / 评分标准) → a Template.
 *
 * Columns: 评分项目 (criterion, required), 分值 (max points, required), 最小步长 (smallest
 * step a scorer may give; optional, default 0.5 — 精确到0.5分 is the usual rule), 评分要点
 * (guidance, optional). Criterion keys are c1..cN in table order, so re-importing the same
 * table gives the same keys.
 *
 * What must stay true: all or nothing (every problem reported, no partial template), and the
 * result passes the shared templateSchema. A 合计 row is not a criterion; when it carries a
 * number, that number must equal the sum of the criteria (a forgotten or mistyped row shows
 * up there). Totals other than 100 are allowed: some cities use 10- or 50-point sheets.
 */
import { isMultipleOf, templateSchema, type Criterion, type Template } from '../domain/schemas';
import { EMPTY, parseNumber, type Parsed } from './cell-values';
import { cellIssue, fail, fileIssue, rowIssue, sortIssues, type ImportIssue, type ImportResult, type Problem } from './issues';
import { cellOf, isBlankRow, isNoteRow, isRepeatedHeader, isTotalsRow, locateColumns, normalizeHeader, type ColumnSpec } from './table-columns';
import { problemOfZodIssue } from './zod-issues';

type TemplateColumn = 'name' | 'max' | 'step' | 'guidance';

export const TEMPLATE_COLUMNS: ColumnSpec<TemplateColumn>[] = [
  { key: 'name', label: '评分项目', aliases: ['评分内容', '评价项目', '评分指标', '考核项目', '指标'], required: true },
  { key: 'max', label: '分值', aliases: ['满分', '分数', '标准分', '满分值'], required: true },
  { key: 'step', label: '最小步长', aliases: ['步长', '评分步长', '最小分值单位'], required: false },
  { key: 'guidance', label: '评分要点', aliases: ['评分标准', '评分说明', '要点', '说明'], required: false },
];

export const DEFAULT_STEP = 0.5;
const MAX_POINTS = 1000;

export function importTemplateTable(rows: string[][], opts: { id: string; name: string }): ImportResult<Template> {
  // The id and name come from the caller, not the table: check them first, on their own.
  const placeholder = { key: 'c1', name: 'x', max: 1, step: 1, guidance: '' };
  const meta = templateSchema.safeParse({ id: opts.id, name: opts.name, criteria: [placeholder] });
  if (!meta.success) return fail(meta.error.issues.map((zi) => metaIssue(zi)));

  const layout = locateColumns(rows, TEMPLATE_COLUMNS, { zh: '评分表模板', en: 'the score sheet template' });
  if (!layout.ok) return layout;
  const { headerRow, columns } = layout.value;
  const header = (key: TemplateColumn) => columns.get(key)?.header ?? TEMPLATE_COLUMNS.find((c) => c.key === key)!.label;
  const issues: ImportIssue[] = [];
  const issue = (rowNo: number, key: TemplateColumn, value: string, problem: Problem) =>
    issues.push(cellIssue(rowNo, header(key), value, problem));

  const criteria: Criterion[] = [];
  const criterionRows: number[] = [];
  const rowOfName = new Map<string, number>();
  let totals: { rowNo: number; text: string } | null = null;
  let anyBad = false;

  for (let r = headerRow; r < rows.length; r++) {
    const row = rows[r]!;
    const rowNo = r + 1;
    if (isBlankRow(row) || isNoteRow(row) || isRepeatedHeader(row, rows[headerRow - 1]!)) continue;
    const cell = (key: TemplateColumn) => cellOf(row, columns.get(key));
    if (isTotalsRow(row) || isTotalsLabel(cell('name'))) {
      totals = { rowNo, text: cell('max') };
      continue;
    }
    const before = issues.length;

    const name = cell('name');
    if (name === '') issue(rowNo, 'name', '', EMPTY);
    else {
      const key = normalizeHeader(name);
      const earlier = rowOfName.get(key);
      if (earlier !== undefined) issue(rowNo, 'name', name, { zh: `与第${earlier}行重复`, en: `repeats row ${earlier}` });
      else rowOfName.set(key, rowNo);
    }

    const max = readPoints(cell('max'), true);
    if (!max.ok) issue(rowNo, 'max', cell('max'), max.problem);
    const stepText = cell('step');
    const step = stepText === '' ? ({ ok: true, value: DEFAULT_STEP } as const) : readPoints(stepText, false);
    if (!step.ok) issue(rowNo, 'step', stepText, step.problem);
    else if (!isMultipleOf(step.value, 0.01)) {
      issue(rowNo, 'step', stepText, { zh: '必须是0.01的整数倍', en: 'must be a multiple of 0.01' });
    } else if (max.ok && !isMultipleOf(max.value, step.value)) {
      issue(rowNo, 'max', cell('max'), {
        zh: `不是最小步长 ${step.value} 的整数倍`,
        en: `is not a multiple of the smallest step ${step.value}`,
      });
    }

    if (issues.length > before) {
      anyBad = true;
      continue;
    }
    criteria.push({
      key: `c${criteria.length + 1}`,
      name,
      max: max.ok ? max.value : 0,
      step: step.ok ? step.value : DEFAULT_STEP,
      guidance: cell('guidance'),
    });
    criterionRows.push(rowNo);
  }

  if (totals && totals.text !== '' && !anyBad) {
    const stated = parseNumber(totals.text);
    const sumHundredths = criteria.reduce((sum, c) => sum + Math.round(c.max * 100), 0);
    if (!stated.ok) issue(totals.rowNo, 'max', totals.text, stated.problem);
    else if (Math.round(stated.value * 100) !== sumHundredths) {
      const sum = sumHundredths / 100;
      issue(totals.rowNo, 'max', totals.text, { zh: `与各项分值之和（${sum}）不一致`, en: `differs from the sum of the criteria (${sum})` });
    }
  }
  if (criteria.length === 0 && !anyBad) {
    issues.push(rowIssue(headerRow, { zh: '表头下面没有评分项目', en: 'there are no criteria below the header' }));
  }

  if (issues.length === 0) {
    const parsed = templateSchema.safeParse({ id: opts.id, name: opts.name, criteria });
    if (parsed.success) return { ok: true, value: parsed.data };
    for (const zi of parsed.error.issues) issues.push(criterionIssue(zi, criterionRows, criteria, header));
  }
  const order = (column: string) => [...columns.values()].find((c) => c.header === column)?.index ?? -1;
  return fail(sortIssues(issues, order));
}

/** Points: a number > 0 and at most 1000. */
function readPoints(text: string, required: boolean): Parsed<number> {
  if (text === '') return required ? { ok: false, problem: EMPTY } : { ok: true, value: DEFAULT_STEP };
  const n = parseNumber(text);
  if (!n.ok) return n;
  if (n.value <= 0) return { ok: false, problem: { zh: '必须大于0', en: 'must be greater than 0' } };
  if (n.value > MAX_POINTS) return { ok: false, problem: { zh: `不能大于${MAX_POINTS}`, en: `must not be greater than ${MAX_POINTS}` } };
  return n;
}

function isTotalsLabel(name: string): boolean {
  return ['合计', '总计', '总分', '合计分'].includes(normalizeHeader(name));
}

type ZodIssue = Parameters<typeof problemOfZodIssue>[0];

function criterionIssue(zi: ZodIssue, criterionRows: number[], criteria: Criterion[], header: (key: TemplateColumn) => string): ImportIssue {
  const [first, index, field] = zi.path;
  if (first === 'criteria' && typeof index === 'number') {
    const key = (['name', 'max', 'step', 'guidance'] as const).find((k) => k === field) ?? 'name';
    const criterion = criteria[index];
    return cellIssue(criterionRows[index] ?? 0, header(key), criterion ? String(criterion[key]) : '', problemOfZodIssue(zi));
  }
  return metaIssue(zi);
}

function metaIssue(zi: ZodIssue): ImportIssue {
  const problem = problemOfZodIssue(zi);
  const [first] = zi.path;
  const what = first === 'name' ? { zh: '评分表模板名称', en: 'The score sheet template’s name' } : first === 'id' ? { zh: '评分表模板编号', en: 'The score sheet template’s id' } : { zh: '评分表模板', en: 'The score sheet template' };
  return fileIssue({ zh: `${what.zh}${problem.zh}`, en: `${what.en} ${problem.en}` });
}
