/**
 * The words of each ranking rule: its label and its explanation (hint), by catalog key. The tour
 * editor's rules section and the rankings page's rules panel both take them from here (through
 * RuleField / RuleCheck / RankScopeField), so a rule is worded the same on both screens; a
 * rank-vote tour words some rules for ballots. The workbook's 排名规则 sheet names its lines
 * with the same Chinese words (rules-statement.ts; glossary.test.ts holds them together).
 *
 * What must stay true: one entry per rule the engine applies that a screen lets the
 * secretariat set; a rule's hint explains the rule, not the input control (both screens show it).
 */
import type { RankingRules } from '@shared/domain/schemas';
import type { MessageKey } from '../../i18n/catalogs';

export type RuleName =
  | 'method'
  | 'trim'
  | 'dropHighest'
  | 'dropLowest'
  | 'minSheets'
  | 'recusal'
  | 'unitScore'
  | 'indicatorWeight'
  | 'tieBreak'
  | 'groupWeights'
  | 'projectScope'
  | 'unitScope';

export interface RuleWording {
  label: MessageKey;
  hint: MessageKey | null;
}

type Method = RankingRules['method'];

const wordings: Readonly<Record<RuleName, (method: Method) => RuleWording>> = {
  method: () => ({ label: 'desk.rules.method', hint: null }),
  trim: () => ({ label: 'desk.rules.trim', hint: null }),
  dropHighest: () => ({ label: 'desk.rules.dropHighest', hint: null }),
  dropLowest: () => ({ label: 'desk.rules.dropLowest', hint: null }),
  minSheets: (m) => ({ label: m === 'rankVote' ? 'desk.rules.minBallots' : 'desk.rules.minSheets', hint: null }),
  recusal: (m) => ({ label: m === 'rankVote' ? 'desk.rules.recusalRankVote' : 'desk.rules.recusal', hint: null }),
  unitScore: () => ({ label: 'desk.rules.unitScore', hint: null }),
  indicatorWeight: (m) => ({ label: 'desk.rules.indicatorWeight', hint: m === 'rankVote' ? 'desk.rules.indicatorHintRankVote' : 'desk.rules.indicatorHint' }),
  tieBreak: () => ({ label: 'desk.rules.tieBreak', hint: 'desk.rules.tieBreakHint' }),
  groupWeights: (m) => ({ label: 'desk.rules.groupWeights', hint: m === 'rankVote' ? 'desk.rules.groupWeightsHintRankVote' : 'desk.rules.groupWeightsHint' }),
  projectScope: () => ({ label: 'desk.rules.projectScope', hint: 'desk.rules.projectScopeHint' }),
  unitScope: (m) => ({ label: 'desk.rules.unitScope', hint: m === 'rankVote' ? 'desk.rules.unitScopeHintRankVote' : 'desk.rules.unitScopeHint' }),
};

export function ruleWording(rule: RuleName, method: Method): RuleWording {
  return wordings[rule](method);
}

/** The choices of 单位现场得分 (how a unit's on-site score is made from its projects'). */
export const unitScoreKey: Readonly<Record<RankingRules['unitScore'], MessageKey>> = {
  mean: 'desk.rules.unitMean',
  investmentWeighted: 'desk.rules.unitWeighted',
};

/** The tie-break choice "compare nothing": tied units and projects share the rank. */
export const tieBreakNoneKey: MessageKey = 'desk.rules.tieNone';
