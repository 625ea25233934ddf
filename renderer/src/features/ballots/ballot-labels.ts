import type { BallotList, BallotState } from '../../db/ballots-repo';
import type { MessageKey, Translate } from '../../i18n/catalogs';

/** The name of a ranking list: its unit group, "all units", or "units without a group". */
export function ballotListName(t: Translate, list: Pick<BallotList, 'group' | 'isOverall'>): string {
  if (list.isOverall) return t('ballots.listOverall');
  return list.group ?? t('ballots.listDefaultGroup');
}

export function ballotStateLabel(t: Translate, state: BallotState | 'recused'): string {
  return t(`ballots.state.${state}` as MessageKey);
}
