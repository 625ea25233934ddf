/**
 * The desk's form schemas (react-hook-form + zod), with the messages a secretariat reads in its
 * language: `deskFormSchemas(t)` builds them for one translate function (useDeskFormSchemas()
 * in a component). They check what the user types; the records are validated again by the
 * shared schemas when saved (putSynced), so nothing invalid can reach IndexedDB or the server.
 */
import { useMemo } from 'react';
import { z } from 'zod';
import { isMultipleOf } from '@shared/domain/schemas';
import type { Translate } from '../../../i18n/catalogs';
import { useT } from '../../../i18n/use-t';

export function deskFormSchemas(t: Translate) {
  const dateText = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, t('desk.form.dateFormat'))
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), t('desk.form.dateInvalid'));

  const tourMeta = z
    .object({
      name: z.string().trim().min(1, t('desk.form.tourNameRequired')).max(200, t('desk.form.tourNameTooLong', { max: 200 })),
      kind: z.enum(['scored', 'study'], { message: t('desk.form.kindRequired') }),
      startDate: dateText,
      endDate: dateText,
    })
    .refine((v) => v.startDate <= v.endDate, { message: t('desk.form.endBeforeStart'), path: ['endDate'] });

  const criterion = z
    .object({
      key: z.string().trim().min(1),
      name: z.string().trim().min(1, t('desk.form.criterionNameRequired')).max(100, t('desk.form.criterionNameTooLong', { max: 100 })),
      max: z.number({ message: t('desk.form.pointsNotNumber') }).positive(t('desk.form.pointsPositive')).max(1000, t('desk.form.pointsTooBig', { max: 1000 })),
      step: z.number({ message: t('desk.form.stepNotNumber') }).positive(t('desk.form.stepPositive')).max(1000, t('desk.form.stepTooBig', { max: 1000 })),
      guidance: z.string().max(2000, t('desk.form.guidanceTooLong', { max: 2000 })),
    })
    .refine((c) => isMultipleOf(c.step, 0.01), { message: t('desk.form.stepGrain'), path: ['step'] })
    .refine((c) => isMultipleOf(c.max, c.step), { message: t('desk.form.pointsMultipleOfStep'), path: ['max'] });

  const template = z.object({
    criteria: z
      .array(criterion)
      .min(1, t('desk.form.criteriaRequired'))
      .refine((cs) => new Set(cs.map((c) => c.name.trim())).size === cs.length, t('desk.form.criteriaDuplicate')),
  });

  const count = (min: number, max: number) =>
    z
      .number({ message: t('desk.form.wholeNumber') })
      .int(t('desk.form.wholeNumber'))
      .min(min, min === 0 ? t('desk.form.notBelow', { min }) : t('desk.form.atLeast', { min }))
      .max(max, t('desk.form.notAbove', { max }));

  const rules = z
    .object({
      method: z.enum(['score', 'rankVote']),
      isTrimmed: z.boolean(),
      dropHighest: count(0, 10),
      dropLowest: count(0, 10),
      minSheets: count(1, 1000),
      /** one line per group: 组名=权重 */
      groupWeightsText: z.string(),
      recusal: z.boolean(),
      unitScore: z.enum(['mean', 'investmentWeighted']),
      indicatorWeight: z
        .number({ message: t('desk.form.indicatorWeightNumber') })
        .min(0, t('desk.form.notBelow', { min: 0 }))
        .max(1, t('desk.form.indicatorWeightTooBig', { max: 1 })),
      projectScope: z.enum(['tour', 'group']),
      unitScope: z.enum(['tour', 'group']),
      tieBreakCriterion: z.string(),
    })
    .refine((r) => !r.isTrimmed || r.minSheets > r.dropHighest + r.dropLowest, {
      message: t('desk.form.minSheetsTooFew'),
      path: ['minSheets'],
    })
    .superRefine((r, ctx) => {
      const parsed = parseGroupWeights(r.groupWeightsText, t);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message, path: ['groupWeightsText'] });
    });

  // an empty amount is undefined (never typed) or NaN (typed, then cleared: valueAsNumber)
  const optionalAmount = z.union([z.nan(), z.number().finite().min(0, t('desk.form.amountNegative'))]).optional();

  const stop = z
    .object({
      name: z.string().trim().min(1, t('desk.form.stopNameRequired')).max(200, t('desk.form.stopNameTooLong', { max: 200 })),
      unitId: z.string().min(1, t('desk.form.unitRequired')),
      day: dateText,
      category: z.string().trim().max(50, t('desk.form.categoryTooLong', { max: 50 })),
      /** undefined or NaN = left empty (see amountOrNull) */
      totalInvestment: optionalAmount,
      completedInvestment: optionalAmount,
      address: z.string().max(500, t('desk.form.addressTooLong', { max: 500 })),
    })
    .refine((s) => amountOrNull(s.totalInvestment) === null || amountOrNull(s.completedInvestment) === null || s.completedInvestment! <= s.totalInvestment!, {
      message: t('desk.form.completedOverTotal'),
      path: ['completedInvestment'],
    });

  const unit = z.object({
    name: z.string().trim().min(1, t('desk.form.unitNameRequired')).max(200, t('desk.form.unitNameTooLong', { max: 200 })),
    group: z.string().trim().max(100, t('desk.form.groupTooLong', { max: 100 })),
  });

  const scorer = z.object({
    /** the account picked in the search (never typed) */
    userId: z.string().trim().min(1, t('desk.scorers.form.personRequired')),
    name: z.string().trim().min(1, t('desk.form.personNameRequired')).max(100, t('desk.form.personNameTooLong', { max: 100 })),
    role: z.enum(['scorer', 'observer']),
    homeUnitId: z.string(),
    weightGroup: z.string().trim().max(100, t('desk.form.weightGroupTooLong', { max: 100 })),
    post: z.string().trim().max(100, t('desk.scorers.form.postTooLong', { max: 100 })),
  });

  return { tourMeta, criterion, template, rules, stop, unit, scorer };
}

export type DeskFormSchemas = ReturnType<typeof deskFormSchemas>;
export type TourMetaForm = z.infer<DeskFormSchemas['tourMeta']>;
export type TemplateForm = z.infer<DeskFormSchemas['template']>;
export type RulesForm = z.infer<DeskFormSchemas['rules']>;
export type StopForm = z.infer<DeskFormSchemas['stop']>;
export type UnitForm = z.infer<DeskFormSchemas['unit']>;

/** The desk's form schemas in the current language (rebuilt only when the language changes). */
export function useDeskFormSchemas(): DeskFormSchemas {
  const t = useT();
  return useMemo(() => deskFormSchemas(t), [t]);
}

/** An amount field's value as stored: null when left empty. */
export function amountOrNull(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}

/** Sum of the criteria's max points, in hundredths to avoid float noise (20 + 0.1 …). */
export function templateTotal(criteria: readonly { max: number }[]): number {
  return criteria.reduce((sum, c) => sum + Math.round((Number.isFinite(c.max) ? c.max : 0) * 100), 0) / 100;
}

/** "市领导=0.6\n部门=0.4" → {市领导: 0.6, 部门: 0.4}; empty text → null (every sheet counts the same). */
export function parseGroupWeights(text: string, t: Translate): { ok: true; value: Record<string, number> | null } | { ok: false; message: string } {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return { ok: true, value: null };
  const value: Record<string, number> = {};
  for (const [i, line] of lines.entries()) {
    const match = /^(.+?)\s*[=＝:：]\s*([0-9.]+)$/.exec(line);
    const weight = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(weight) || weight <= 0) return { ok: false, message: t('desk.form.groupWeightsLine', { line: i + 1 }) };
    const name = match[1]!.trim();
    if (name in value) return { ok: false, message: t('desk.form.groupWeightsDuplicate', { line: i + 1, name }) };
    value[name] = weight;
  }
  return { ok: true, value };
}

export function formatGroupWeights(weights: Record<string, number> | null): string {
  return weights ? Object.entries(weights).map(([k, v]) => `${k}=${v}`).join('\n') : '';
}

export type ScorerForm = z.infer<DeskFormSchemas['scorer']>;

