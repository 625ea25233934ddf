import type { ListScope } from './ranking-tables';

/**
 * A list as people read it: a tour whose units have no group at all has one list whatever the
 * scope says, and it ranks the whole tour (总排名, 全部), not "未分组".
 */
export function shownListScope(list: ListScope, lists: readonly ListScope[]): ListScope {
  const isOnlyDefaultGroup = list.scope === 'group' && list.group === null && lists.length === 1;
  return isOnlyDefaultGroup ? { scope: 'tour', group: null } : { scope: list.scope, group: list.group };
}
