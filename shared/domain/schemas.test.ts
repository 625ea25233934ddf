import { describe, expect, it } from 'vitest';
import { criterionSchema, isSameRules, rankingRulesSchema, rulesKey, sheetId, stopSchema, tourSchema, type RankingRules } from './schemas';

describe('domain schemas', () => {
  it('fills defaults of a minimal tour', () => {
    const tour = tourSchema.parse({ id: 't1', name: '观摩', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08' });
    expect(tour.status).toBe('draft');
    expect(tour.rules.method).toBe('score');
    expect(tour.rules.trim).toBeNull();
  });
  it('refuses an impossible date and an end before the start', () => {
    expect(tourSchema.safeParse({ id: 't', name: 'x', kind: 'study', startDate: '2021-02-30', endDate: '2021-03-01' }).success).toBe(false);
    expect(tourSchema.safeParse({ id: 't', name: 'x', kind: 'study', startDate: '2021-03-02', endDate: '2021-03-01' }).success).toBe(false);
  });
  it('keeps the bulletin header optional, fills its blanks, and never invents an issue date', () => {
    const base = { id: 't1', name: '观摩', kind: 'scored', startDate: '2018-12-03', endDate: '2018-12-04' };
    expect(tourSchema.parse(base)).not.toHaveProperty('bulletin');
    expect(tourSchema.parse({ ...base, bulletin: { documentNumber: ' 聊观办〔2018〕5号 ' } }).bulletin).toEqual({
      issuingAuthority: '',
      documentNumber: '聊观办〔2018〕5号',
      addressees: '',
      signedBy: '',
      issueDate: null,
    });
    expect(tourSchema.safeParse({ ...base, bulletin: { issueDate: '2018-02-30' } }).success).toBe(false);
    expect(tourSchema.safeParse({ ...base, bulletin: { issuingAuthority: '办'.repeat(101) } }).success).toBe(false);
  });
  it('refuses a criterion whose max is not a multiple of its step', () => {
    expect(criterionSchema.safeParse({ key: 'a', name: 'A', max: 10, step: 3 }).success).toBe(false);
    expect(criterionSchema.safeParse({ key: 'a', name: 'A', max: 25, step: 0.5 }).success).toBe(true);
  });
  it('refuses coordinates out of range', () => {
    const base = { id: 's', tourId: 't', unitId: 'u', day: '2021-12-08', order: 1, name: 'p' };
    expect(stopSchema.safeParse({ ...base, lat: 95, lng: 120 }).success).toBe(false);
    expect(stopSchema.parse({ ...base, lat: 32.1, lng: 120.9 }).lat).toBe(32.1);
  });
  it('derives the same sheet id for the same tour, stop and scorer', () => {
    expect(sheetId('t', 's', 'u')).toBe(sheetId('t', 's', 'u'));
    expect(sheetId('t', 's', 'u')).not.toBe(sheetId('t', 's', 'v'));
  });
});

describe('ranking rules: rank scopes and the legacy switch', () => {
  it('reads a stored record without scopes through rankWithinGroups (absent = within groups)', () => {
    expect(rankingRulesSchema.parse({ rankWithinGroups: false })).toMatchObject({ projectScope: 'tour', unitScope: 'tour' });
    expect(rankingRulesSchema.parse({ rankWithinGroups: true })).toMatchObject({ projectScope: 'group', unitScope: 'group' });
    expect(rankingRulesSchema.parse({})).toMatchObject({ projectScope: 'group', unitScope: 'group' });
    // scopes written by this release win over the switch
    expect(rankingRulesSchema.parse({ rankWithinGroups: false, projectScope: 'group', unitScope: 'tour' })).toMatchObject({ projectScope: 'group', unitScope: 'tour' });
  });

  it('writes rankWithinGroups as a mirror of the unit scope, for laptops on an older release', () => {
    const mirror = (rules: RankingRules) => (rules as unknown as { rankWithinGroups: boolean }).rankWithinGroups;
    expect(mirror(rankingRulesSchema.parse({ projectScope: 'tour', unitScope: 'group' }))).toBe(true);
    expect(mirror(rankingRulesSchema.parse({ projectScope: 'group', unitScope: 'tour' }))).toBe(false);
    // a stale mirror is rewritten from the scope on every parse (the server parses what it stores)
    expect(mirror(rankingRulesSchema.parse({ unitScope: 'tour', rankWithinGroups: true }))).toBe(false);
    // what an older release reads back: both scopes then follow the unit scope
    const older = rankingRulesSchema.parse({ rankWithinGroups: mirror(rankingRulesSchema.parse({ projectScope: 'tour', unitScope: 'group' })) });
    expect(older.unitScope).toBe('group');
  });

  it('compares rules by what ranks, not by key order or the mirror', () => {
    const a = rankingRulesSchema.parse({ groupWeights: { 市领导: 0.6, 部门: 0.4 }, projectScope: 'tour', unitScope: 'group' });
    const b: RankingRules = { ...a, groupWeights: { 部门: 0.4, 市领导: 0.6 } };
    delete (b as { rankWithinGroups?: boolean }).rankWithinGroups;
    expect(isSameRules(a, b)).toBe(true);
    expect(rulesKey(a)).toBe(rulesKey(b));
    expect(isSameRules(a, { ...a, projectScope: 'group' })).toBe(false);
    expect(isSameRules(a, { ...a, trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 } })).toBe(false);
  });
});
