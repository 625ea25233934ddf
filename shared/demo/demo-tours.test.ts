import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stopSchema, tourSchema, unitSchema } from '../domain/schemas';
import { buildDemoTours, DemoDataError, demoUserId, type DemoTour } from './demo-tours';

const dir = new URL('../../assets/demo/', import.meta.url);
const manifest = () => JSON.parse(readFileSync(new URL('demo-tours.json', dir), 'utf8')) as { tours: Record<string, unknown>[] };
const FILES = ['template-standard.csv', 'tour-chongchuan-2021-scored.csv', 'tour-shanting-2021-study.csv'];
/** as the server reads them: bytes from disk */
const bytes = () => Object.fromEntries(FILES.map((f) => [f, new Uint8Array(readFileSync(new URL(f, dir)))]));
/** as the renderer bundles them with Vite ?raw: text, BOM included */
const texts = () => Object.fromEntries(FILES.map((f) => [f, readFileSync(new URL(f, dir), 'utf8')]));

function demoError(fn: () => unknown): DemoDataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DemoDataError);
    return e as DemoDataError;
  }
  throw new Error('expected a DemoDataError');
}

describe('buildDemoTours', () => {
  it('builds both demo tours from the manifest and the tables', () => {
    const tours = buildDemoTours(manifest(), bytes());
    expect(tours.map((t) => [t.tour.id, t.tour.kind, t.tour.status, t.tour.startDate, t.tour.endDate, t.units.length, t.stops.length])).toEqual([
      ['demo-chongchuan-2021', 'scored', 'scoring', '2021-12-08', '2021-12-08', 4, 5],
      ['demo-shanting-2021', 'study', 'published', '2021-04-21', '2021-04-23', 5, 28],
    ]);
    const [scored, study] = tours as [(typeof tours)[0], (typeof tours)[0]];
    expect(scored.tour.name).toBe('崇川区2021年重点项目现场观摩评议');
    expect(scored.tour.template?.id).toBe('demo-chongchuan-2021-template');
    expect(scored.tour.template?.name).toBe('重点项目观摩评议表（百分制）');
    expect(scored.tour.template?.criteria.map((c) => c.key)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(scored.tour.rules).toMatchObject({ method: 'score', trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 }, recusal: true, unitScore: 'mean', projectScope: 'group', unitScope: 'group' });
    expect(scored.tour.rules.groupWeights).toBeNull(); // defaults filled by rankingRulesSchema
    expect(study.tour.template).toBeNull();
    expect(study.stops[0]!.id).toBe('demo-shanting-2021-stop-1');
    expect(study.units[4]!.id).toBe('demo-shanting-2021-unit-5');
    for (const t of tours) {
      expect(tourSchema.parse(t.tour)).toEqual(t.tour);
      t.units.forEach((u) => unitSchema.parse(u));
      t.stops.forEach((s) => stopSchema.parse(s));
      expect(t.stops.every((s) => s.tourId === t.tour.id && t.units.some((u) => u.id === s.unitId))).toBe(true);
    }
  });

  it('gives identical records from text (renderer, Vite ?raw) and bytes (server, disk)', () => {
    expect(buildDemoTours(manifest(), texts())).toEqual(buildDemoTours(manifest(), bytes()));
  });

  it('refuses an invalid manifest', () => {
    const noFile = manifest();
    delete noFile.tours[0]!.tourFile;
    expect(demoError(() => buildDemoTours(noFile, bytes())).problems[0]).toMatch(/^demo-tours.json tours.0.tourFile:/);

    const scoredWithoutTemplate = manifest();
    scoredWithoutTemplate.tours[0]!.templateFile = null;
    expect(demoError(() => buildDemoTours(scoredWithoutTemplate, bytes())).problems).toEqual([
      'demo-tours.json tours.0.templateFile: a scored tour needs templateFile and templateName',
    ]);

    const pathTrick = manifest();
    pathTrick.tours[1]!.tourFile = '../../etc/passwd.csv';
    expect(demoError(() => buildDemoTours(pathTrick, bytes())).problems[0]).toMatch(/tours.1.tourFile/);

    const badRules = manifest();
    badRules.tours[0]!.rules = { method: 'score', trim: { dropHighest: 3, dropLowest: 3, minSheets: 5 } };
    expect(demoError(() => buildDemoTours(badRules, bytes())).problems[0]).toMatch(/tours.0.rules.trim/);

    const duplicate = manifest();
    duplicate.tours[1]!.id = duplicate.tours[0]!.id;
    expect(demoError(() => buildDemoTours(duplicate, bytes())).problems).toEqual(['demo-tours.json tours: tour ids must be unique']);
    expect(() => buildDemoTours(null, bytes())).toThrow(DemoDataError);
  });

  it('lists every problem of the tables with their file', () => {
    const files: Record<string, string | Uint8Array> = texts();
    delete files['template-standard.csv'];
    files['tour-shanting-2021-study.csv'] = (files['tour-shanting-2021-study.csv'] as string).replace(',36.77840,', ',北纬35,');
    const err = demoError(() => buildDemoTours(manifest(), files));
    expect(err.problems).toEqual([
      'template-standard.csv: file not provided',
      'tour-shanting-2021-study.csv: 第7行「纬度」: “北纬35” 不是数字',
    ]);
    expect(err.message).toContain('- tour-shanting-2021-study.csv: 第7行「纬度」');
  });
});

describe('demo participants', () => {
  it('assigns the demo people with fixed ids and recusal home units', () => {
    const [scored, study] = buildDemoTours(manifest(), bytes()) as [DemoTour, DemoTour];
    const gangzha = scored.units.find((u) => u.name === '港闸开发区')!;
    expect(scored.scorers.filter((s) => s.role === 'scorer').map((s) => s.userId)).toEqual(
      ['scorer1', 'scorer2', 'scorer3', 'scorer4', 'scorer5'].map(demoUserId),
    );
    expect(scored.scorers.find((s) => s.userId === demoUserId('scorer2'))).toMatchObject({
      id: 'demo-chongchuan-2021-scorer-scorer2',
      homeUnitId: gangzha.id,
      name: '评委乙',
    });
    // a study tour has observers only
    expect(study.scorers.length).toBeGreaterThan(0);
    expect(study.scorers.every((s) => s.role === 'observer')).toBe(true);
  });

  it('reports a participant who is not among the people, or an unknown home unit', () => {
    const m = manifest() as { tours: Record<string, unknown>[] };
    m.tours[0]!.participants = [{ username: 'nobody', role: 'scorer' }, { username: 'scorer1', role: 'scorer', homeUnit: '不存在区' }];
    const err = demoError(() => buildDemoTours(m, bytes()));
    expect(err.problems.join('\n')).toMatch(/nobody is not among people/);
    expect(err.problems.join('\n')).toMatch(/不存在区 is not a unit/);
  });
});
