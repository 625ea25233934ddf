/**
 * The desk's form schemas (react-hook-form + zod), with the messages a secretariat reads.
 * They check what the user types; the records are validated again by the shared schemas when
 * saved (putSynced), so nothing invalid can reach IndexedDB or the server.
 */
import { z } from 'zod';
import { isMultipleOf } from '@shared/domain/schemas';

const dateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '请填写日期，格式如 2021-12-08')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '不是有效的日期');

export const tourMetaFormSchema = z
  .object({
    name: z.string().trim().min(1, '请填写观摩活动名称').max(200, '名称不能超过200个字'),
    kind: z.enum(['scored', 'study'], { message: '请选择活动类型' }),
    startDate: dateText,
    endDate: dateText,
  })
  .refine((t) => t.startDate <= t.endDate, { message: '结束日期不能早于开始日期', path: ['endDate'] });
export type TourMetaForm = z.infer<typeof tourMetaFormSchema>;

export const criterionFormSchema = z
  .object({
    key: z.string().trim().min(1),
    name: z.string().trim().min(1, '请填写评分项目').max(100, '评分项目不能超过100个字'),
    max: z.number({ message: '分值须为数字' }).positive('分值须大于0').max(1000, '分值不能超过1000'),
    step: z.number({ message: '步长须为数字' }).positive('步长须大于0').max(1000, '步长不能超过1000'),
    guidance: z.string().max(2000, '评分要点不能超过2000个字'),
  })
  .refine((c) => isMultipleOf(c.step, 0.01), { message: '步长须为0.01的整数倍', path: ['step'] })
  .refine((c) => isMultipleOf(c.max, c.step), { message: '分值须为步长的整数倍', path: ['max'] });

export const templateFormSchema = z.object({
  criteria: z
    .array(criterionFormSchema)
    .min(1, '至少需要一个评分项目')
    .refine((cs) => new Set(cs.map((c) => c.name.trim())).size === cs.length, '评分项目名称不能重复'),
});
export type TemplateForm = z.infer<typeof templateFormSchema>;

/** Sum of the criteria's max points, in hundredths to avoid float noise (20 + 0.1 …). */
export function templateTotal(criteria: readonly { max: number }[]): number {
  return criteria.reduce((sum, c) => sum + Math.round((Number.isFinite(c.max) ? c.max : 0) * 100), 0) / 100;
}

export const rulesFormSchema = z
  .object({
    method: z.enum(['score', 'rankVote']),
    isTrimmed: z.boolean(),
    dropHighest: z.number({ message: '请填写整数' }).int('请填写整数').min(0, '不能小于0').max(10, '不能超过10'),
    dropLowest: z.number({ message: '请填写整数' }).int('请填写整数').min(0, '不能小于0').max(10, '不能超过10'),
    minSheets: z.number({ message: '请填写整数' }).int('请填写整数').min(1, '至少为1').max(1000, '不能超过1000'),
    /** one line per group: 组名=权重 */
    groupWeightsText: z.string(),
    recusal: z.boolean(),
    unitScore: z.enum(['mean', 'investmentWeighted']),
    indicatorWeight: z.number({ message: '请填写0到1之间的数' }).min(0, '不能小于0').max(1, '不能大于1'),
    rankWithinGroups: z.boolean(),
    tieBreakCriterion: z.string(),
  })
  .refine((r) => !r.isTrimmed || r.minSheets > r.dropHighest + r.dropLowest, {
    message: '最少评议表数须大于去掉的最高分与最低分个数之和',
    path: ['minSheets'],
  })
  .superRefine((r, ctx) => {
    const parsed = parseGroupWeights(r.groupWeightsText);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message, path: ['groupWeightsText'] });
  });
export type RulesForm = z.infer<typeof rulesFormSchema>;

/** "市领导=0.6\n部门=0.4" → {市领导: 0.6, 部门: 0.4}; empty text → null (every sheet counts the same). */
export function parseGroupWeights(text: string): { ok: true; value: Record<string, number> | null } | { ok: false; message: string } {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return { ok: true, value: null };
  const value: Record<string, number> = {};
  for (const [i, line] of lines.entries()) {
    const match = /^(.+?)\s*[=＝:：]\s*([0-9.]+)$/.exec(line);
    const weight = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(weight) || weight <= 0) return { ok: false, message: `第${i + 1}行应写成“组名=权重”，权重为正数，如“市领导=0.6”` };
    const name = match[1]!.trim();
    if (name in value) return { ok: false, message: `第${i + 1}行的组名“${name}”重复` };
    value[name] = weight;
  }
  return { ok: true, value };
}

export function formatGroupWeights(weights: Record<string, number> | null): string {
  return weights ? Object.entries(weights).map(([k, v]) => `${k}=${v}`).join('\n') : '';
}

export const scorerFormSchema = z.object({
  userId: z.string().trim().min(1, '请填写用户编号').max(128, '用户编号太长'),
  name: z.string().trim().min(1, '请填写姓名').max(100, '姓名不能超过100个字'),
  role: z.enum(['scorer', 'observer']),
  homeUnitId: z.string(),
  weightGroup: z.string().trim().max(100, '权重组名不能超过100个字'),
});
export type ScorerForm = z.infer<typeof scorerFormSchema>;

const optionalAmount = z.union([z.nan(), z.number().finite().min(0, '金额不能为负数')]);

export const stopFormSchema = z
  .object({
    name: z.string().trim().min(1, '请填写项目名称').max(200, '项目名称不能超过200个字'),
    unitId: z.string().min(1, '请选择参评单位'),
    day: dateText,
    category: z.string().trim().max(50, '项目类型不能超过50个字'),
    /** NaN = left empty */
    totalInvestment: optionalAmount,
    completedInvestment: optionalAmount,
    address: z.string().max(500, '地址不能超过500个字'),
  })
  .refine((s) => Number.isNaN(s.totalInvestment) || Number.isNaN(s.completedInvestment) || s.completedInvestment <= s.totalInvestment, {
    message: '已完成投资不能超过总投资',
    path: ['completedInvestment'],
  });
export type StopForm = z.infer<typeof stopFormSchema>;

export const unitFormSchema = z.object({
  name: z.string().trim().min(1, '请填写单位名称').max(200, '单位名称不能超过200个字'),
  group: z.string().trim().max(100, '分组名称不能超过100个字'),
});
export type UnitForm = z.infer<typeof unitFormSchema>;
