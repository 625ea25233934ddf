/**
 * The secretariat's itinerary table (观摩点位表) → units and stops of one tour.
 *
 * Columns are found by header name in any order (see TOUR_COLUMNS for the accepted names).
 * Required: 观摩日期, 顺序, 县市区, 项目名称; everything else is optional. 序号 is optional too,
 * but when the column exists every project row needs one.
 *
 * What must stay true:
 * - All or nothing: any problem in any row → ok:false with every problem found, never a
 *   partial tour.
 * - Ids are a pure function of tourId and the table, so the server and every desktop app that
 *   import the same demo table agree on them: unit `${tourId}-unit-${n}` (n = order of first
 *   appearance, 1-based), stop `${tourId}-stop-${序号}` (or the project's position among the
 *   data rows, 1-based, when there is no 序号 column).
 * - Every record passes the shared zod schema (stopSchema, unitSchema) before it is returned.
 *
 * Coordinates: the table's 经度/纬度 are in the coordinate system the secretariat declares for the
 * tour (`coordSystem`: WGS-84/CGCS2000 by default, GCJ-02 from 高德/腾讯, BD-09 from 百度) and are
 * stored converted to WGS-84. Values that cannot be coordinates (a latitude of 116) are errors;
 * implausible ones — swapped, outside China, far from every other stop
 * (shared/maps/coordinate-checks.ts) — come back as `warnings` that name the row and do not block.
 *
 * Decisions: completed investment above the total is an error (it is always a typing mistake
 * and would distort investment-weighted unit scores). A unit keeps one ranking group: an empty
 * 分组 cell takes the group given on the unit's other rows, two different groups are an error.
 * Blank rows, a 合计/总计 line, footnotes (注：…) and a repeated header row are skipped.
 */
import { idSchema, stopSchema, unitSchema, type Stop, type TourCoordSystem, type Unit } from '../domain/schemas';
import { checkCoordinates, type CheckedPoint, type CoordinateFinding } from '../maps/coordinate-checks';
import { toWgs84 } from '../maps/coords';
import { EMPTY, parseAmount, parseDate, parseNumber, parsePositiveInt, type Parsed } from './cell-values';
import { cellIssue, fail, fileIssue, rowIssue, sortIssues, type ImportIssue, type ImportResult } from './issues';
import { cellOf, isBlankRow, isNoteRow, isRepeatedHeader, isTotalsRow, locateColumns, normalizeHeader, type ColumnSpec, type FoundColumn } from './table-columns';
import { problemOfZodIssue } from './zod-issues';

type TourColumn =
  | 'no'
  | 'day'
  | 'order'
  | 'unit'
  | 'group'
  | 'name'
  | 'category'
  | 'total'
  | 'completed'
  | 'content'
  | 'lng'
  | 'lat'
  | 'address'
  | 'startDate'
  | 'briefer';

const WAN_PER_YI = 10_000;

export const TOUR_COLUMNS: ColumnSpec<TourColumn>[] = [
  { key: 'no', label: '序号', aliases: ['编号'], required: false },
  { key: 'day', label: '观摩日期', aliases: ['日期', '观摩时间'], required: true },
  { key: 'order', label: '顺序', aliases: ['观摩顺序', '点位顺序', '次序'], required: true },
  { key: 'unit', label: '县市区', aliases: ['县(市、区)', '县(市区)', '县市区名称', '参评单位', '单位'], required: true },
  { key: 'group', label: '分组', aliases: ['组别'], required: false },
  { key: 'name', label: '项目名称', required: true },
  { key: 'category', label: '项目类型', aliases: ['类型', '项目类别', '类别'], required: false },
  {
    key: 'total',
    label: '总投资(万元)',
    aliases: ['总投资', '计划总投资(万元)', '计划总投资', { name: '总投资(亿元)', scale: WAN_PER_YI }, { name: '计划总投资(亿元)', scale: WAN_PER_YI }],
    required: false,
  },
  {
    key: 'completed',
    label: '已完成投资(万元)',
    aliases: [
      '已完成投资',
      '累计完成投资(万元)',
      '累计完成投资',
      '完成投资(万元)',
      { name: '已完成投资(亿元)', scale: WAN_PER_YI },
      { name: '累计完成投资(亿元)', scale: WAN_PER_YI },
    ],
    required: false,
  },
  { key: 'content', label: '建设内容', aliases: ['主要建设内容', '项目简介'], required: false },
  { key: 'lng', label: '经度', required: false },
  { key: 'lat', label: '纬度', required: false },
  { key: 'address', label: '地址', aliases: ['项目地址', '地点', '项目地点'], required: false },
  { key: 'startDate', label: '开工日期', aliases: ['开工时间'], required: false },
  { key: 'briefer', label: '汇报人', aliases: ['讲解人'], required: false },
];

/** Stop field → the column it comes from (to place zod issues). */
const FIELD_COLUMN: Partial<Record<keyof Stop, TourColumn>> = {
  id: 'no',
  unitId: 'unit',
  day: 'day',
  order: 'order',
  name: 'name',
  category: 'category',
  totalInvestment: 'total',
  completedInvestment: 'completed',
  startDate: 'startDate',
  content: 'content',
  lat: 'lat',
  lng: 'lng',
  address: 'address',
  briefer: 'briefer',
};

/** An implausible coordinate: a warning about one row (the stop it made), not an error. */
export type CoordinateWarning = ImportIssue & { stopId: string; kind: CoordinateFinding['kind'] };

export type TourTable = {
  units: Unit[];
  /** coordinates converted to WGS-84 */
  stops: Stop[];
  startDate: string;
  endDate: string;
  /** the system the table's coordinates were read in */
  coordSystem: TourCoordSystem;
  /** implausible coordinates, in row order; empty when none */
  warnings: CoordinateWarning[];
};

/** Decimal places kept of a converted coordinate (1e-7° ≈ 1 cm). */
const COORDINATE_DECIMALS = 7;

/** Longest tourId whose derived ids (`…-stop-123456`) still fit idSchema's 128 characters. */
const MAX_TOUR_ID_LENGTH = 100;

export function importTourTable(rows: string[][], opts: { tourId: string; coordSystem?: TourCoordSystem }): ImportResult<TourTable> {
  const coordSystem = opts.coordSystem ?? 'wgs84';
  const tourId = idSchema.safeParse(opts.tourId);
  if (!tourId.success || tourId.data !== opts.tourId || opts.tourId.length > MAX_TOUR_ID_LENGTH) {
    return fail([fileIssue({ zh: `观摩活动编号“${opts.tourId}”无效`, en: `invalid tour id "${opts.tourId}"` })]);
  }
  const layout = locateColumns(rows, TOUR_COLUMNS, { zh: '行程表', en: 'the itinerary table' });
  if (!layout.ok) return layout;
  const { headerRow, columns } = layout.value;
  if (columns.has('lat') !== columns.has('lng')) {
    const [has, lacks] = columns.has('lat') ? ['纬度', '经度'] : ['经度', '纬度'];
    return fail([
      rowIssue(headerRow, {
        zh: `表头有「${has}」列但没有「${lacks}」列，经纬度需要两列都有（或都没有）`,
        en: `the header has a ${has === '纬度' ? 'latitude' : 'longitude'} column (${has}) but no ${lacks === '纬度' ? 'latitude' : 'longitude'} column (${lacks}); give both or neither`,
      }),
    ]);
  }
  const header = (key: TourColumn): string => columns.get(key)?.header ?? TOUR_COLUMNS.find((c) => c.key === key)!.label;

  const issues: ImportIssue[] = [];
  const units = new Map<string, UnitDraft>();
  const stops: Stop[] = [];
  const rowOfNo = new Map<number, number>();
  const rowOfDayOrder = new Map<string, number>();
  const located: LocatedRow[] = [];
  let dataIndex = 0;

  for (let r = headerRow; r < rows.length; r++) {
    const row = rows[r]!;
    const rowNo = r + 1;
    if (isBlankRow(row) || isTotalsRow(row) || isNoteRow(row) || isRepeatedHeader(row, rows[headerRow - 1]!)) continue;
    dataIndex++;
    const cells = new RowReader(row, rowNo, columns, header);

    const no = columns.has('no') ? cells.required('no', (s) => parsePositiveInt(s, 999_999)) : dataIndex;
    const day = cells.required('day', parseDate);
    const order = cells.required('order', (s) => parsePositiveInt(s, 1000));
    const unitName = cells.required('unit', text);
    const groupName = cells.optional('group', text);
    const name = cells.required('name', text);
    const total = cells.optional('total', (s) => parseAmount(s, columns.get('total')!.scale));
    const completed = cells.optional('completed', (s) => parseAmount(s, columns.get('completed')!.scale));
    const written = readCoordinates(cells);
    const { lat, lng } = written.lat === null || written.lng === null ? written : roundedWgs84(written as { lat: number; lng: number }, coordSystem);

    if (no !== null && !cells.hasIssue('no')) {
      const earlier = rowOfNo.get(no);
      if (earlier !== undefined) cells.issue('no', { zh: `与第${earlier}行重复`, en: `repeats row ${earlier}` });
      else rowOfNo.set(no, rowNo);
    }
    if (day !== null && order !== null) {
      const key = `${day}#${order}`;
      const earlier = rowOfDayOrder.get(key);
      if (earlier !== undefined) {
        cells.issue('order', {
          zh: `与第${earlier}行重复（观摩日期都是${day}，同一天的顺序不能相同）`,
          en: `repeats row ${earlier} (both on ${day}; the order within a day must be unique)`,
        });
      } else rowOfDayOrder.set(key, rowNo);
    }
    if (total !== null && completed !== null && completed > total) {
      cells.issue('completed', { zh: `超过总投资（${total}）`, en: `exceeds the total investment (${total})` });
    }

    let unit: UnitDraft | undefined;
    if (unitName !== null) {
      const key = normalizeHeader(unitName);
      unit = units.get(key);
      if (!unit) {
        unit = { id: `${opts.tourId}-unit-${units.size + 1}`, name: unitName, firstRow: rowNo, group: null, groupRow: rowNo };
        units.set(key, unit);
      }
      if (groupName !== null) {
        if (unit.group === null) {
          unit.group = groupName;
          unit.groupRow = rowNo;
        } else if (normalizeHeader(unit.group) !== normalizeHeader(groupName)) {
          cells.issue('group', {
            zh: `与第${unit.groupRow}行的“${unit.group}”不一致，同一参评单位「${unit.name}」只能属于一个分组`,
            en: `differs from "${unit.group}" in row ${unit.groupRow}; the unit "${unit.name}" can belong to one group only`,
          });
        }
      }
    }

    const candidate = {
      id: `${opts.tourId}-stop-${no ?? `row${rowNo}`}`,
      tourId: opts.tourId,
      unitId: unit?.id ?? null,
      day,
      order,
      name,
      category: cells.text('category'),
      totalInvestment: total,
      completedInvestment: completed,
      startDate: cells.optional('startDate', parseDate),
      content: cells.text('content'),
      lat,
      lng,
      address: cells.text('address'),
      briefer: cells.text('briefer'),
    };
    const parsed = stopSchema.safeParse(candidate);
    if (parsed.success) {
      stops.push(parsed.data);
      if (written.lat !== null && written.lng !== null && parsed.data.lat !== null && parsed.data.lng !== null) {
        located.push({ row: rowNo, stopId: parsed.data.id, lngText: cells.text('lng'), latText: cells.text('lat'), written: { lng: written.lng, lat: written.lat }, wgs84: { lng: parsed.data.lng, lat: parsed.data.lat } });
      }
    }
    else {
      for (const zi of parsed.error.issues) {
        const column = FIELD_COLUMN[zi.path[0] as keyof Stop];
        // A column that already has a problem of ours keeps only that message.
        if (column && cells.hasIssue(column)) continue;
        if (column) cells.issue(column, problemOfZodIssue(zi));
        else issues.push(rowIssue(rowNo, { zh: `数据无效（${zi.path.join('.')}: ${zi.message}）`, en: `invalid record (${zi.path.join('.')}: ${zi.message})` }));
      }
    }
    issues.push(...cells.issues);
  }

  const unitRecords: Unit[] = [];
  for (const draft of units.values()) {
    const parsed = unitSchema.safeParse({ id: draft.id, tourId: opts.tourId, name: draft.name, group: draft.group, indicatorScore: null });
    if (parsed.success) unitRecords.push(parsed.data);
    else {
      for (const zi of parsed.error.issues) {
        const isGroup = zi.path[0] === 'group';
        const column = isGroup ? 'group' : 'unit';
        issues.push(cellIssue(isGroup ? draft.groupRow : draft.firstRow, header(column), isGroup ? (draft.group ?? '') : draft.name, problemOfZodIssue(zi)));
      }
    }
  }

  if (dataIndex === 0) {
    issues.push(
      rowIssue(headerRow, {
        zh: '表头下面没有项目，请在表头下方逐行填写观摩项目',
        en: 'there are no projects below the header; list one project per row under it',
      }),
    );
  }
  if (issues.length > 0) {
    const order = (column: string) => [...columns.values()].find((c) => c.header === column)?.index ?? -1;
    return fail(sortIssues(issues, order));
  }

  const days = stops.map((s) => s.day).sort();
  const warnings = coordinateWarnings(located, header);
  return { ok: true, value: { units: unitRecords, stops, startDate: days[0]!, endDate: days[days.length - 1]!, coordSystem, warnings } };
}

/** A row whose stop has coordinates: where it is, as written and as stored. */
type LocatedRow = { row: number; stopId: string; lngText: string; latText: string; written: { lng: number; lat: number }; wgs84: { lng: number; lat: number } };

function roundedWgs84(point: { lat: number; lng: number }, from: TourCoordSystem): { lat: number; lng: number } {
  if (from === 'wgs84') return point;
  const converted = toWgs84(point, from);
  const round = (n: number) => Number(n.toFixed(COORDINATE_DECIMALS));
  return { lat: round(converted.lat), lng: round(converted.lng) };
}

function coordinateWarnings(located: readonly LocatedRow[], header: (key: TourColumn) => string): CoordinateWarning[] {
  const byStop = new Map(located.map((l) => [l.stopId, l]));
  const points: CheckedPoint[] = located.map((l) => ({ key: l.stopId, lng: l.written.lng, lat: l.written.lat, wgs84: l.wgs84 }));
  return checkCoordinates(points).map((finding) => {
    const at = byStop.get(finding.key)!;
    const [lngHeader, latHeader] = [header('lng'), header('lat')];
    const where = { zh: `经度 ${at.lngText}，纬度 ${at.latText}`, en: `longitude ${at.lngText}, latitude ${at.latText}` };
    let issue: ImportIssue;
    switch (finding.kind) {
      case 'swapped':
        issue = cellIssue(at.row, lngHeader, at.lngText, {
          zh: `像是纬度，「${latHeader}」的 ${at.latText} 像是经度：两列可能填反了（对调后才在中国境内），请核对`,
          en: `looks like a latitude and ${latHeader} ${at.latText} like a longitude: the two columns may be swapped (only swapped is the point in China); please check`,
        });
        break;
      case 'lngLooksLikeLat':
        issue = cellIssue(at.row, lngHeader, at.lngText, {
          zh: `像是纬度（中国境内的经度约在 73～135 之间），这个坐标不在中国境内，请核对`,
          en: 'looks like a latitude (longitudes in China run from about 73 to 135); the point is outside China; please check',
        });
        break;
      case 'outsideChina':
        issue = rowIssue(at.row, { zh: `坐标（${where.zh}）不在中国境内，请核对`, en: `the coordinates (${where.en}) are outside China; please check` }, lngHeader);
        break;
      case 'farFromOthers':
        issue = rowIssue(
          at.row,
          {
            zh: `坐标（${where.zh}）离本次观摩的其他项目很远：距最近的项目 ${finding.nearestKm} 公里，距其他项目的中间位置 ${finding.medianKm} 公里，请核对`,
            en: `the coordinates (${where.en}) are far from every other project of the tour: ${finding.nearestKm} km from the nearest, ${finding.medianKm} km from the middle of the others; please check`,
          },
          lngHeader,
        );
        break;
    }
    return { ...issue, stopId: at.stopId, kind: finding.kind };
  });
}

type UnitDraft = { id: string; name: string; firstRow: number; group: string | null; groupRow: number };

function text(s: string): Parsed<string> {
  return { ok: true, value: s };
}

function readCoordinates(cells: RowReader): { lat: number | null; lng: number | null } {
  const lat = cells.optional('lat', parseNumber);
  const lng = cells.optional('lng', parseNumber);
  const latOutOfRange = lat !== null && Math.abs(lat) > 90;
  const lngOutOfRange = lng !== null && Math.abs(lng) > 180;
  const looksSwapped = latOutOfRange && lat !== null && Math.abs(lat) <= 180 && lng !== null && Math.abs(lng) <= 90;
  const swapHint = looksSwapped ? { zh: '，经度和纬度可能填反了', en: '; are longitude and latitude swapped?' } : { zh: '', en: '' };
  if (latOutOfRange) cells.issue('lat', { zh: `超出纬度范围（-90～90）${swapHint.zh}`, en: `is out of the latitude range (-90 to 90)${swapHint.en}` });
  if (lngOutOfRange) cells.issue('lng', { zh: '超出经度范围（-180～180）', en: 'is out of the longitude range (-180 to 180)' });
  const latGiven = cells.text('lat') !== '';
  const lngGiven = cells.text('lng') !== '';
  if (latGiven !== lngGiven) {
    const missing = latGiven ? 'lng' : 'lat';
    cells.issue(missing, {
      zh: `为空，经度和纬度需要同时填写（或都不填）`,
      en: 'is empty; give both longitude and latitude, or neither',
    });
  }
  if (latOutOfRange || lngOutOfRange || cells.hasIssue('lat') || cells.hasIssue('lng')) return { lat: null, lng: null };
  return { lat, lng };
}

/** One data row: cell texts by column, and the problems found in it. */
class RowReader {
  readonly issues: ImportIssue[] = [];
  private readonly columnsWithIssues = new Set<TourColumn>();

  constructor(
    private readonly row: string[],
    private readonly rowNo: number,
    private readonly columns: Map<TourColumn, FoundColumn>,
    private readonly header: (key: TourColumn) => string,
  ) {}

  text(key: TourColumn): string {
    return cellOf(this.row, this.columns.get(key));
  }

  required<T>(key: TourColumn, parse: (s: string) => Parsed<T>): T | null {
    if (this.text(key) === '') {
      this.issue(key, EMPTY);
      return null;
    }
    return this.optional(key, parse);
  }

  /** null when empty or invalid (an invalid value is recorded as an issue) */
  optional<T>(key: TourColumn, parse: (s: string) => Parsed<T>): T | null {
    const raw = this.text(key);
    if (raw === '') return null;
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    this.issue(key, parsed.problem);
    return null;
  }

  issue(key: TourColumn, problem: { zh: string; en: string }): void {
    this.columnsWithIssues.add(key);
    this.issues.push(cellIssue(this.rowNo, this.header(key), this.text(key), problem));
  }

  hasIssue(key: TourColumn): boolean {
    return this.columnsWithIssues.has(key);
  }
}
