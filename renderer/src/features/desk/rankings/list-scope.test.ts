import { describe, expect, it } from 'vitest';
import { shownListScope } from './list-scope';

describe('a list as people read it', () => {
  it('is the whole tour when the units have no group at all, whatever the scope says', () => {
    const only = { scope: 'group' as const, group: null };
    expect(shownListScope(only, [only])).toEqual({ scope: 'tour', group: null });
    // with groups, the default group is a group of its own (未分组) beside the others
    const lists = [{ scope: 'group' as const, group: '县组' }, only];
    expect(shownListScope(only, lists)).toEqual(only);
    expect(shownListScope(lists[0]!, lists)).toEqual({ scope: 'group', group: '县组' });
    // one named group stays named
    expect(shownListScope(lists[0]!, [lists[0]!])).toEqual({ scope: 'group', group: '县组' });
  });
});
