/**
 * Catalog keys of the words the rankings page shows for ranking values (desk.rankings.*), so a
 * screen writes `t(fateKey[row.fate])`. The texts themselves live in the desk message catalogs.
 */
import type { RankScope } from '@shared/domain/schemas';
import type { RankingIssue, RankingIssueCode, UnrankedReason } from '@shared/ranking';
import type { MessageKey, Translate } from '../../../i18n/catalogs';
import { listTitle, type ListScope, type SheetFate } from './ranking-tables';

export const fateKey: Readonly<Record<SheetFate, MessageKey>> = {
  counted: 'desk.rankings.fate.counted',
  droppedHighest: 'desk.rankings.fate.droppedHighest',
  droppedLowest: 'desk.rankings.fate.droppedLowest',
  excluded: 'desk.rankings.fate.excluded',
  recused: 'desk.rankings.fate.recused',
  draft: 'desk.rankings.fate.draft',
  reopened: 'desk.rankings.fate.reopened',
};

export const unrankedKey: Readonly<Record<UnrankedReason, MessageKey>> = {
  noScoredProjects: 'desk.rankings.unranked.noScoredProjects',
  noBallots: 'desk.rankings.unranked.noBallots',
  missingIndicator: 'desk.rankings.unranked.missingIndicator',
};

/** The words of a rank scope, the same in the tour editor, the rankings page and its headings. */
export const rankScopeKey: Readonly<Record<RankScope, MessageKey>> = {
  tour: 'desk.rules.scope.tour',
  group: 'desk.rules.scope.group',
};

const auditActionKey: Readonly<Record<string, MessageKey>> = {
  sheet_reopened: 'desk.rankings.audit.action.sheet_reopened',
  ballot_reopened: 'desk.rankings.audit.action.ballot_reopened',
  tour_imported: 'desk.rankings.audit.action.tour_imported',
  template_imported: 'desk.rankings.audit.action.template_imported',
};

/** An audit action's words; an action this version does not know shows as the server sent it. */
export function auditActionLabel(action: string, t: Translate): string {
  const key = auditActionKey[action];
  return key ? t(key) : action;
}

/** Why a unit has no rank; an unknown reason shows as the engine wrote it. */
export function unrankedLabel(reason: string, t: Translate): string {
  const key = (unrankedKey as Record<string, MessageKey | undefined>)[reason];
  return key ? t(key) : reason;
}

/** "3", "3（并列）" / "3 (tie)", or "—" for no rank. */
export function rankLabel(rank: number | null, isTie: boolean, t: Translate): string {
  if (rank === null) return t('desk.rankings.none');
  return t(isTie ? 'desk.rankings.rankTie' : 'desk.rankings.rank', { rank });
}

/** The list's heading: its group, or "总排名" / "未分组". */
export function listName(list: ListScope, t: Translate): string {
  return listTitle(list, { overall: t('desk.rankings.list.overall'), defaultGroup: t('desk.rankings.list.defaultGroup') });
}

const issueKey: Partial<Readonly<Record<RankingIssueCode, MessageKey>>> = {
  noTemplate: 'desk.rankings.issue.noTemplate',
  unknownUnit: 'desk.rankings.issue.unknownUnit',
  noWeightGroup: 'desk.rankings.issue.noWeightGroup',
  incompleteSheet: 'desk.rankings.issue.incompleteSheet',
  invalidScore: 'desk.rankings.issue.invalidScore',
  duplicateSheet: 'desk.rankings.issue.duplicateSheet',
  incompleteBallot: 'desk.rankings.issue.incompleteBallot',
  duplicateBallot: 'desk.rankings.issue.duplicateBallot',
  missingIndicator: 'desk.rankings.issue.missingIndicator',
  invalidRecord: 'desk.rankings.issue.invalidRecord',
};

export interface RecordNames {
  stop(id: string): string;
  unit(id: string): string;
  scorer(id: string): string;
}

/**
 * An engine issue in the user's words, by its stable code, with the records' names (the
 * engine's `message` is English, for logs). Codes without words here (warnings and notes the
 * page does not list) fall back to that message.
 */
export function issueText(issue: RankingIssue, names: RecordNames, t: Translate): string {
  const key = issueKey[issue.code];
  if (!key) return issue.message;
  return t(key, {
    stop: issue.stopId ? names.stop(issue.stopId) : '',
    unit: issue.unitId ? names.unit(issue.unitId) : '',
    scorer: issue.scorerId ? names.scorer(issue.scorerId) : (issue.recordId ?? ''),
    record: issue.recordId ?? '',
  });
}
