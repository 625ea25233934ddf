import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stopSchema, unitSchema } from '../domain/schemas';
import { importTourTable, parseCsv, readTableFile } from './index';
import type { ImportResult } from './issues';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const demo = (name: string) => new Uint8Array(readFileSync(new URL(`../../assets/demo/${name}`, import.meta.url)));

function rowsOf(name: string, bytes: Uint8Array): string[][] {
  const r = readTableFile(name, bytes);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

const shantingRows = () => rowsOf('shanting.csv', demo('tour-shanting-2021-study.csv'));
const chongchuanRows = () => rowsOf('chongchuan.csv', demo('tour-chongchuan-2021-scored.csv'));

function messages<T>(result: ImportResult<T>): string[] {
  if (result.ok) throw new Error('expected the import to fail');
  expect(result).not.toHaveProperty('value'); // never a partial result
  return result.errors.map((e) => e.message);
}

function ok<T>(result: ImportResult<T>): T {
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.value;
}

describe('importTourTable: the demo tables', () => {
  it('imports the three-day study tour: 28 stops in 5 units', () => {
    const { units, stops, startDate, endDate } = ok(importTourTable(shantingRows(), { tourId: 'demo-shanting-2021' }));
    expect(stops).toHaveLength(28);
    expect(units.map((u) => u.name)).toEqual(['日照市东港区', '潍坊市寒亭区', '潍坊市潍城区', '济宁市邹城市', '济宁市任城区']);
    expect(units.every((u) => u.group === null)).toBe(true);
    expect(units.map((u) => u.id)).toEqual([1, 2, 3, 4, 5].map((n) => `demo-shanting-2021-unit-${n}`));
    expect([startDate, endDate]).toEqual(['2021-04-21', '2021-04-23']);
    expect(stops[5]).toEqual({
      id: 'demo-shanting-2021-stop-6',
      tourId: 'demo-shanting-2021',
      unitId: 'demo-shanting-2021-unit-2',
      day: '2021-04-22',
      order: 1,
      name: '潍柴(潍坊)材料成型制造中心有限公司',
      category: '工业',
      totalInvestment: 150000,
      completedInvestment: 97900,
      startDate: null,
      content: '(示例)工业项目,建设内容以主办单位材料为准',
      lat: 36.7784,
      lng: 119.25215,
      address: '潍坊市寒亭区',
      briefer: '',
    });
    for (const s of stops) stopSchema.parse(s);
    for (const u of units) unitSchema.parse(u);
  });

  it('imports the scored tour: 5 stops in 4 units with two ranking groups', () => {
    const { units, stops, startDate, endDate } = ok(importTourTable(chongchuanRows(), { tourId: 'demo-chongchuan-2021' }));
    expect(stops).toHaveLength(5);
    expect(units.map((u) => [u.id, u.name, u.group])).toEqual([
      ['demo-chongchuan-2021-unit-1', '市北高新区', '园区组'],
      ['demo-chongchuan-2021-unit-2', '文峰街道', '街道组'],
      ['demo-chongchuan-2021-unit-3', '崇川开发区', '园区组'],
      ['demo-chongchuan-2021-unit-4', '港闸开发区', '园区组'],
    ]);
    expect(stops.map((s) => [s.id, s.unitId, s.order])).toEqual([
      ['demo-chongchuan-2021-stop-1', 'demo-chongchuan-2021-unit-1', 1],
      ['demo-chongchuan-2021-stop-2', 'demo-chongchuan-2021-unit-2', 2],
      ['demo-chongchuan-2021-stop-3', 'demo-chongchuan-2021-unit-3', 3],
      ['demo-chongchuan-2021-stop-4', 'demo-chongchuan-2021-unit-4', 4],
      ['demo-chongchuan-2021-stop-5', 'demo-chongchuan-2021-unit-4', 5],
    ]);
    expect([startDate, endDate]).toEqual(['2021-12-08', '2021-12-08']);
  });

  it('gives the same ids and records every time (server and desktop seed the same tour)', () => {
    const a = importTourTable(shantingRows(), { tourId: 't1' });
    const b = importTourTable(shantingRows(), { tourId: 't1' });
    expect(a).toEqual(b);
  });

  it('reads the same table as GB18030 CSV, and as re-saved by Chinese Excel', () => {
    const reference = importTourTable(chongchuanRows(), { tourId: 't' });
    expect(importTourTable(rowsOf('gbk.csv', fixture('tour-chongchuan-gb18030.csv')), { tourId: 't' })).toEqual(reference);
    // title row, 县 市 区 with spaces, a header with a line break and full-width brackets,
    // 2021/12/8 dates, "100,000" amounts, a blank row, an empty 分组 taken from the unit's other
    // row, a 合计 row and a footnote
    expect(importTourTable(rowsOf('resaved.csv', fixture('tour-excel-resaved.csv')), { tourId: 't' })).toEqual(reference);
  });
});

describe('importTourTable: mistakes a secretariat makes', () => {
  it('names row, column and value of a non-numeric latitude', () => {
    const result = importTourTable(rowsOf('bad.csv', fixture('tour-bad-latitude.csv')), { tourId: 't' });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          row: 7,
          column: '纬度',
          value: '北纬35',
          message: '第7行「纬度」: “北纬35” 不是数字',
          messageEn: 'Row 7, column "纬度": "北纬35" is not a number',
        },
      ],
    });
  });

  it('reports every problem of every row, in reading order, and nothing partial', () => {
    const result = importTourTable(rowsOf('mistakes.csv', fixture('tour-many-mistakes.csv')), { tourId: 't' });
    expect(messages(result)).toEqual([
      '第3行「观摩日期」: “2021-02-30” 不是有效日期，请写成 2021-12-08 这样的日期',
      '第4行「项目名称」: 不能为空',
      '第5行「顺序」: “3” 与第4行重复（观摩日期都是2021-12-08，同一天的顺序不能相同）',
      '第5行「已完成投资(万元)」: “165400” 超过总投资（100000）',
      '第6行「序号」: “4” 与第5行重复',
      '第6行「分组」: “区组” 与第5行的“园区组”不一致，同一参评单位「港闸开发区」只能属于一个分组',
      '第6行「总投资(万元)」: “二十万” 不是数字',
      '第6行「纬度」: “120.9” 超出纬度范围（-90～90），经度和纬度可能填反了',
    ]);
    if (!result.ok) {
      expect(result.errors[3]).toMatchObject({ row: 5, column: '已完成投资(万元)', value: '165400', messageEn: 'Row 5, column "已完成投资(万元)": "165400" exceeds the total investment (100000)' });
    }
  });

  it('fails as a whole when any single cell is spoiled', () => {
    const garbage = fc.constantFrom('', '北纬35', 'abc', '-5', '2021-13-45', '0', '1.5', '   ');
    const requiredOrNumeric = [1, 2, 3, 5, 7, 8, 10, 11]; // 观摩日期 顺序 县市区 项目名称 投资 经纬度
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 28 }), fc.constantFrom(...requiredOrNumeric), garbage, (row, col, bad) => {
        const rows = shantingRows();
        const column = rows[0]![col]!;
        // values that are still valid in that column are not spoiled
        if ((column === '县市区' || column === '项目名称') && bad.trim() !== '') return;
        if ((column.startsWith('总投资') || column.startsWith('已完成')) && ['0', '1.5', '', '   '].includes(bad)) return;
        // an empty or small coordinate is fine as long as its partner is spoiled the same way
        if ((column === '经度' || column === '纬度') && ['0', '1.5', '-5'].includes(bad)) return;
        rows[row]![col] = bad;
        const result = importTourTable(rows, { tourId: 't' });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors.some((e) => e.row === row + 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('reports a missing required column once', () => {
    const rows = chongchuanRows().map((r) => r.filter((_, i) => i !== 1 && i !== 5)); // no 观摩日期, 项目名称
    expect(importTourTable(rows, { tourId: 't' })).toEqual({
      ok: false,
      errors: [
        {
          row: 1,
          column: '',
          value: '',
          message: '第1行: 表头缺少必需的列「观摩日期」「项目名称」',
          messageEn: 'Row 1: the header lacks the required columns 观摩日期, 项目名称',
        },
      ],
    });
  });

  it('says when the table is not a tour table at all', () => {
    const rows = parseCsv('评分项目,分值,最小步长,评分要点\n项目规模,20,0.5,x');
    expect(messages(importTourTable(rows, { tourId: 't' }))).toEqual([
      '找不到行程表的表头：表格前20行中没有一行包含「观摩日期」「顺序」「县市区」「项目名称」等列名，请确认导入的是行程表',
    ]);
  });

  it('refuses a duplicated column', () => {
    const rows = chongchuanRows().map((r) => [...r, r[11]!]);
    expect(messages(importTourTable(rows, { tourId: 't' }))).toEqual(['第1行: 表头中有重复的列「纬度」（L列和N列），请只保留一列']);
  });

  it('refuses a header without projects', () => {
    expect(messages(importTourTable(chongchuanRows().slice(0, 1), { tourId: 't' }))).toEqual([
      '第1行: 表头下面没有项目，请在表头下方逐行填写观摩项目',
    ]);
  });

  it('needs both coordinates or neither', () => {
    const rows = chongchuanRows();
    rows[2]![10] = '';
    expect(messages(importTourTable(rows, { tourId: 't' }))).toEqual(['第3行「经度」: 为空，经度和纬度需要同时填写（或都不填）']);
    const oneColumn = chongchuanRows().map((r) => r.slice(0, 11).concat(r.slice(12)));
    expect(messages(importTourTable(oneColumn, { tourId: 't' }))).toEqual([
      '第1行: 表头有「经度」列但没有「纬度」列，经纬度需要两列都有（或都没有）',
    ]);
    const none = chongchuanRows().map((r) => r.slice(0, 10).concat(r.slice(12)));
    expect(ok(importTourTable(none, { tourId: 't' })).stops.every((s) => s.lat === null && s.lng === null)).toBe(true);
  });

  it('maps schema limits back to the cell', () => {
    const rows = chongchuanRows();
    rows[3]![5] = '很'.repeat(201);
    rows[4]![2] = '1001';
    expect(messages(importTourTable(rows, { tourId: 't' }))).toEqual([
      `第4行「项目名称」: “${'很'.repeat(60)}…” 太长（最多200个字）`,
      '第5行「顺序」: “1001” 不能大于1000',
    ]);
  });

  it('refuses an unusable tour id', () => {
    expect(messages(importTourTable(chongchuanRows(), { tourId: '' }))).toEqual(['观摩活动编号“”无效']);
    expect(messages(importTourTable(chongchuanRows(), { tourId: 'x'.repeat(101) }))[0]).toMatch(/^观摩活动编号/);
  });
});

describe('importTourTable: what people type', () => {
  const header = '序号,观摩日期,顺序,县市区,分组,项目名称,总投资（亿元）,已完成投资（亿元）,经度,纬度';

  it('accepts the usual ways of writing dates and numbers', () => {
    const rows = parseCsv(
      [
        header,
        '1,2021/12/8,1,崇川区,,甲,12.3456,1.2,１２０.５,３２',
        '2,2021年12月8日,2,崇川区,,乙,,,,',
        '3,20211208,3,崇川区,,丙,,,,',
        '4,44538,4,崇川区,,丁,,,,',
        '5,2021-12-08 09:30,5,崇川区,,戊,,,,',
        '06,2021.12.9,1.0,崇川区,,己,,,,',
      ].join('\n'),
    );
    const { stops, startDate, endDate } = ok(importTourTable(rows, { tourId: 't' }));
    expect(stops.map((s) => s.day)).toEqual(['2021-12-08', '2021-12-08', '2021-12-08', '2021-12-08', '2021-12-08', '2021-12-09']);
    expect(stops[0]).toMatchObject({ totalInvestment: 123456, completedInvestment: 12000, lng: 120.5, lat: 32 });
    expect(stops[5]).toMatchObject({ id: 't-stop-6', order: 1 });
    expect([startDate, endDate]).toEqual(['2021-12-08', '2021-12-09']);
  });

  it('refuses ambiguous numbers and impossible dates', () => {
    const rows = parseCsv([header, '1,2021/2/29,1,崇川区,,甲,"1,5",,120,32', '2,12/8/2021,2,崇川区,,乙,十亿,,120,32'].join('\n'));
    expect(messages(importTourTable(rows, { tourId: 't' }))).toEqual([
      '第2行「观摩日期」: “2021/2/29” 不是有效日期，请写成 2021-12-08 这样的日期',
      '第2行「总投资（亿元）」: “1,5” 不是数字',
      '第3行「观摩日期」: “12/8/2021” 不是有效日期，请写成 2021-12-08 这样的日期',
      '第3行「总投资（亿元）」: “十亿” 不是数字',
    ]);
  });

  it('numbers stops by position when there is no 序号 column', () => {
    const rows = parseCsv(['观摩日期,顺序,县市区,项目名称', '2021-12-08,1,甲区,A', '', '2021-12-08,2,乙区,B'].join('\n'));
    const { stops, units } = ok(importTourTable(rows, { tourId: 't' }));
    expect(stops.map((s) => s.id)).toEqual(['t-stop-1', 't-stop-2']);
    expect(units.map((u) => u.id)).toEqual(['t-unit-1', 't-unit-2']);
  });

  it('treats unit names that differ only in spacing or width as one unit', () => {
    const rows = parseCsv(['观摩日期,顺序,县市区,项目名称', '2021-12-08,1,日照市 东港区,A', '2021-12-08,2,日照市东港区,B'].join('\n'));
    const { units, stops } = ok(importTourTable(rows, { tourId: 't' }));
    expect(units).toHaveLength(1);
    expect(stops.map((s) => s.unitId)).toEqual(['t-unit-1', 't-unit-1']);
  });

  it('skips a header repeated further down', () => {
    const rows = parseCsv(['观摩日期,顺序,县市区,项目名称', '2021-12-08,1,甲区,A', '观摩日期,顺序,县市区,项目名称', '2021-12-09,1,乙区,B'].join('\n'));
    expect(ok(importTourTable(rows, { tourId: 't' })).stops.map((s) => s.name)).toEqual(['A', 'B']);
  });

  it('reads optional 开工日期 and 汇报人 columns', () => {
    const rows = parseCsv(['观摩日期,顺序,县市区,项目名称,开工时间,汇报人', '2021-12-08,1,甲区,A,2021年3月1日,张三'].join('\n'));
    expect(ok(importTourTable(rows, { tourId: 't' })).stops[0]).toMatchObject({ startDate: '2021-03-01', briefer: '张三' });
  });
});

describe('importTourTable: coordinate systems and implausible coordinates', () => {
  const header = '序号,观摩日期,顺序,县市区,项目名称,经度,纬度';
  // 聊城's counties (illustrative positions, WGS-84)
  const places = [
    ['东昌府区', 115.985, 36.457],
    ['临清市', 115.704, 36.838],
    ['冠县', 115.442, 36.484],
    ['东阿县', 116.247, 36.335],
    ['高唐县', 116.23, 36.866],
    ['阳谷县', 115.791, 36.114],
  ] as const;
  const table = (coords: (readonly [number | string, number | string])[]) =>
    parseCsv([header, ...coords.map(([lng, lat], i) => `${i + 1},2021-11-23,${i + 1},${places[i]![0]},项目${i + 1},${lng},${lat}`)].join('\n'));
  const wgs: (readonly [number, number])[] = places.map(([, lng, lat]) => [lng, lat] as const);

  it('reads WGS-84 by default and says so', () => {
    const value = ok(importTourTable(table(wgs), { tourId: 't' }));
    expect(value.coordSystem).toBe('wgs84');
    expect(value.warnings).toEqual([]);
    expect(value.stops.map((s) => [s.lng, s.lat])).toEqual(wgs);
  });

  it('stores a GCJ-02 (高德) or BD-09 (百度) table as WGS-84: the same places as the WGS-84 table', async () => {
    const { fromWgs84 } = await import('../maps/coords');
    for (const system of ['gcj02', 'bd09'] as const) {
      const shifted = wgs.map(([lng, lat]) => {
        const p = fromWgs84({ lng, lat }, system);
        return [p.lng.toFixed(6), p.lat.toFixed(6)] as const;
      });
      const value = ok(importTourTable(table(shifted), { tourId: 't', coordSystem: system }));
      expect(value.coordSystem).toBe(system);
      value.stops.forEach((stop, i) => {
        // six decimals as written (≈ 0.1 m) plus the conversion: well under a metre
        expect(Math.abs(stop.lng! - wgs[i]![0])).toBeLessThan(2e-6);
        expect(Math.abs(stop.lat! - wgs[i]![1])).toBeLessThan(2e-6);
      });
      // read as WGS-84 the same table lands hundreds of metres off
      const misread = ok(importTourTable(table(shifted), { tourId: 't' }));
      expect(Math.abs(misread.stops[0]!.lng! - wgs[0]![0])).toBeGreaterThan(0.003);
    }
  });

  it('warns about a swapped longitude and latitude, naming the row, in Chinese and English', () => {
    const coords: (readonly [number, number])[] = [...wgs];
    coords[4] = [36.23, 80.12]; // row 6: in the Arctic Ocean as written; exchanged (80.12, 36.23), in 新疆
    const value = ok(importTourTable(table(coords), { tourId: 't' }));
    expect(value.warnings).toEqual([
      {
        row: 6,
        column: '经度',
        value: '36.23',
        message: '第6行「经度」: “36.23” 像是纬度，「纬度」的 80.12 像是经度：两列可能填反了（对调后才在中国境内），请核对',
        messageEn: 'Row 6, column "经度": "36.23" looks like a latitude and 纬度 80.12 like a longitude: the two columns may be swapped (only swapped is the point in China); please check',
        stopId: 't-stop-5',
        kind: 'swapped',
      },
    ]);
    // a warning does not block: the stop is imported as written
    expect(value.stops[4]).toMatchObject({ lng: 36.23, lat: 80.12 });
  });

  it('warns about a longitude that looks like a latitude, and about a point outside China', () => {
    const coords: (readonly [number, number])[] = [...wgs];
    coords[1] = [36.23, 36.838]; // row 3: 经度 holds a latitude
    coords[2] = [126.98, 37.57]; // row 4: Seoul
    const { warnings } = ok(importTourTable(table(coords), { tourId: 't' }));
    expect(warnings.map((w) => [w.row, w.kind, w.message])).toEqual([
      [3, 'lngLooksLikeLat', '第3行「经度」: “36.23” 像是纬度（中国境内的经度约在 73～135 之间），这个坐标不在中国境内，请核对'],
      [4, 'outsideChina', '第4行: 坐标（经度 126.98，纬度 37.57）不在中国境内，请核对'],
    ]);
    expect(warnings[1]!.messageEn).toBe('Row 4: the coordinates (longitude 126.98, latitude 37.57) are outside China; please check');
  });

  it('warns about a point far from every other stop of the tour', () => {
    const coords: (readonly [number, number])[] = [...wgs];
    coords[3] = [116.247, 39.335]; // row 5: 36 typed as 39, near 天津
    const { warnings } = ok(importTourTable(table(coords), { tourId: 't' }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ row: 5, kind: 'farFromOthers', stopId: 't-stop-4' });
    expect(warnings[0]!.message).toMatch(/^第5行: 坐标（经度 116.247，纬度 39.335）离本次观摩的其他项目很远：距最近的项目 \d+ 公里，距其他项目的中间位置 \d+ 公里，请核对$/);
  });

  it('still refuses what cannot be a coordinate at all', () => {
    const coords: (readonly [number, number])[] = [...wgs];
    coords[0] = [36.457, 115.985];
    expect(messages(importTourTable(table(coords), { tourId: 't' }))).toEqual(['第2行「纬度」: “115.985” 超出纬度范围（-90～90），经度和纬度可能填反了']);
  });

  it('finds nothing implausible in the demo tables', () => {
    expect(ok(importTourTable(shantingRows(), { tourId: 't' })).warnings).toEqual([]);
    expect(ok(importTourTable(chongchuanRows(), { tourId: 't' })).warnings).toEqual([]);
  });
});
