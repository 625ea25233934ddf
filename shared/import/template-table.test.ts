import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { templateSchema } from '../domain/schemas';
import { importTemplateTable, parseCsv, readTableFile } from './index';
import type { ImportResult } from './issues';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const demo = (name: string) => new Uint8Array(readFileSync(new URL(`../../assets/demo/${name}`, import.meta.url)));

function rowsOf(name: string, bytes: Uint8Array): string[][] {
  const r = readTableFile(name, bytes);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

function messages<T>(result: ImportResult<T>): string[] {
  if (result.ok) throw new Error('expected the import to fail');
  expect(result).not.toHaveProperty('value');
  return result.errors.map((e) => e.message);
}

const opts = { id: 'tpl-1', name: '重点项目观摩评议表（百分制）' };

describe('importTemplateTable', () => {
  it('imports the standard 100-point sheet with keys c1..c5', () => {
    const result = importTemplateTable(rowsOf('template.csv', demo('template-standard.csv')), opts);
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    const t = result.value;
    expect(templateSchema.parse(t)).toEqual(t);
    expect(t.id).toBe('tpl-1');
    expect(t.criteria.map((c) => [c.key, c.name, c.max, c.step])).toEqual([
      ['c1', '项目规模', 20, 0.5],
      ['c2', '建设进度', 25, 0.5],
      ['c3', '科技含量与产业层次', 20, 0.5],
      ['c4', '综合效益', 20, 0.5],
      ['c5', '现场组织与汇报', 15, 0.5],
    ]);
    expect(t.criteria[1]!.guidance).toBe('形象进度与计划相符,实物投入量,开工/投产时间');
    expect(t.criteria.reduce((s, c) => s + c.max, 0)).toBe(100);
  });

  it('reports every mistake with row, column and value', () => {
    const result = importTemplateTable(rowsOf('bad.csv', fixture('template-bad.csv')), opts);
    expect(messages(result)).toEqual([
      '第3行「分值」: “25” 不是最小步长 2 的整数倍',
      '第4行「评分项目」: “项目规模” 与第2行重复',
      '第5行「分值」: “二十” 不是数字',
      '第6行「最小步长」: “0.001” 必须是0.01的整数倍',
    ]);
    if (!result.ok) {
      expect(result.errors[0]).toEqual({
        row: 3,
        column: '分值',
        value: '25',
        message: '第3行「分值」: “25” 不是最小步长 2 的整数倍',
        messageEn: 'Row 3, column "分值": "25" is not a multiple of the smallest step 2',
      });
    }
  });

  it('checks a 合计 row against the sum of the criteria', () => {
    const rows = parseCsv('评分项目,分值,最小步长,评分要点\n项目规模,20,0.5,\n建设进度,25,0.5,\n合计,100,,');
    expect(messages(importTemplateTable(rows, opts))).toEqual(['第4行「分值」: “100” 与各项分值之和（45）不一致']);
    const good = parseCsv('评分项目,分值\n项目规模,20.5\n建设进度,79.5\n合计,100');
    const result = importTemplateTable(good, opts);
    expect(result.ok && result.value.criteria.map((c) => c.max)).toEqual([20.5, 79.5]);
  });

  it('defaults the step to 0.5 and accepts other header names', () => {
    const rows = parseCsv('考核项目,满分,评分标准\n规模,10,大\n进度,5,快');
    const result = importTemplateTable(rows, opts);
    expect(result.ok && result.value.criteria).toEqual([
      { key: 'c1', name: '规模', max: 10, step: 0.5, guidance: '大' },
      { key: 'c2', name: '进度', max: 5, step: 0.5, guidance: '快' },
    ]);
  });

  it('refuses empty names and points, non-positive points, and tables without criteria', () => {
    const rows = parseCsv('评分项目,分值,最小步长\n,20,1\n进度,,1\n效益,0,1\n组织,10,-1\n汇报,2000,1');
    expect(messages(importTemplateTable(rows, opts))).toEqual([
      '第2行「评分项目」: 不能为空',
      '第3行「分值」: 不能为空',
      '第4行「分值」: “0” 必须大于0',
      '第5行「最小步长」: “-1” 必须大于0',
      '第6行「分值」: “2000” 不能大于1000',
    ]);
    expect(messages(importTemplateTable(parseCsv('评分项目,分值'), opts))).toEqual(['第1行: 表头下面没有评分项目']);
    expect(messages(importTemplateTable(parseCsv('评分项目\n规模'), opts))).toEqual(['第1行: 表头缺少必需的列「分值」']);
  });

  it('maps schema limits back to the cell', () => {
    const rows = parseCsv(`评分项目,分值\n${'很'.repeat(101)},10`);
    expect(messages(importTemplateTable(rows, opts))).toEqual([`第2行「评分项目」: “${'很'.repeat(60)}…” 太长（最多100个字）`]);
  });

  it('refuses a bad template id or name from the caller', () => {
    const rows = rowsOf('template.csv', demo('template-standard.csv'));
    expect(messages(importTemplateTable(rows, { id: '', name: 'x' }))).toEqual(['评分表模板编号不能为空']);
    expect(messages(importTemplateTable(rows, { id: 'a', name: '  ' }))).toEqual(['评分表模板名称不能为空']);
  });
});
