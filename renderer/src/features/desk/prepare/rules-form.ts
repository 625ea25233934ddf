/** Ranking rules ⇄ the rules form (pure, so it is unit-tested). */
import { rankingRulesSchema, type RankingRules } from '@shared/domain/schemas';
import type { Translate } from '../../../i18n/catalogs';
import { formatGroupWeights, parseGroupWeights, type RulesForm } from './tour-form-schema';

export function rulesToForm(rules: RankingRules): RulesForm {
  return {
    method: rules.method,
    isTrimmed: rules.trim !== null,
    dropHighest: rules.trim?.dropHighest ?? 1,
    dropLowest: rules.trim?.dropLowest ?? 1,
    minSheets: rules.trim?.minSheets ?? 5,
    groupWeightsText: formatGroupWeights(rules.groupWeights),
    recusal: rules.recusal,
    unitScore: rules.unitScore,
    indicatorWeight: rules.indicatorWeight,
    projectScope: rules.projectScope,
    unitScope: rules.unitScope,
    tieBreakCriterion: rules.tieBreakCriterion ?? '',
  };
}

/** The form's values as rules, validated by the shared schema (throws, in the user's language, on what the form let through). */
export function formToRules(form: RulesForm, t: Translate): RankingRules {
  const weights = parseGroupWeights(form.groupWeightsText, t);
  if (!weights.ok) throw new Error(weights.message);
  return rankingRulesSchema.parse({
    method: form.method,
    trim: form.isTrimmed ? { dropHighest: form.dropHighest, dropLowest: form.dropLowest, minSheets: form.minSheets } : null,
    groupWeights: weights.value,
    recusal: form.recusal,
    unitScore: form.unitScore,
    indicatorWeight: form.indicatorWeight,
    projectScope: form.projectScope,
    unitScope: form.unitScope,
    tieBreakCriterion: form.tieBreakCriterion || null,
  });
}
