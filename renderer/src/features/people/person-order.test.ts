import { describe, expect, it } from 'vitest';
import type { KnownPerson } from '../../db/current-user-repo';
import { inRosterOrder, trailingOrdinal } from './person-order';

const scorer = (name: string, userId = name): KnownPerson => ({ userId, name, scoredTours: 1, observedTours: 0 });
const observer = (name: string, userId = name): KnownPerson => ({ userId, name, scoredTours: 0, observedTours: 1 });
const names = (people: KnownPerson[]) => people.map((p) => p.name);

describe('who uses this computer: roster order', () => {
  it('reads the ordinal at the end of a name', () => {
    expect(trailingOrdinal('评委丙')).toEqual({ stem: '评委', rank: 3 });
    expect(trailingOrdinal('评委十二')).toEqual({ stem: '评委', rank: 12 });
    expect(trailingOrdinal('评委二十')).toEqual({ stem: '评委', rank: 20 });
    expect(trailingOrdinal('评委10号')).toEqual({ stem: '评委', rank: 10 });
    expect(trailingOrdinal('甲')).toBeNull();
    expect(trailingOrdinal('王建国')).toBeNull();
  });

  it('puts 评委甲 before 评委丙 (pinyin would not), scorers before observers', () => {
    const people = [observer('观摩人员'), scorer('评委丙'), scorer('评委戊'), scorer('评委甲'), scorer('评委乙'), scorer('评委丁')];
    // the collation this replaces, for the record
    expect(['评委甲', '评委丙'].sort(new Intl.Collator('zh-CN').compare)).toEqual(['评委丙', '评委甲']);
    expect(names(inRosterOrder(people))).toEqual(['评委甲', '评委乙', '评委丙', '评委丁', '评委戊', '观摩人员']);
  });

  it('orders numbers by value and other names by Chinese collation, stably', () => {
    expect(names(inRosterOrder([scorer('评委10'), scorer('评委2')]))).toEqual(['评委2', '评委10']);
    expect(names(inRosterOrder([scorer('评委十一'), scorer('评委九')]))).toEqual(['评委九', '评委十一']);
    expect(names(inRosterOrder([scorer('王芳'), scorer('李强'), scorer('陈静')]))).toEqual(['陈静', '李强', '王芳']);
    expect(inRosterOrder([scorer('张伟', 'u-2'), scorer('张伟', 'u-1')]).map((p) => p.userId)).toEqual(['u-1', 'u-2']);
  });
});
