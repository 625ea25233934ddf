import { describe, expect, it } from 'vitest';
import { compareScorers, groupsInTourOrder, stopsInItineraryOrder, trailingOrdinal, unitsInItineraryOrder } from './tour-order';

// a city tour as a secretariat lists it: the 县组 is visited first, so it comes first (by pinyin 区 qū < 县 xiàn)
const units = [
  { id: 'u-dongchang', name: '东昌府区', group: '区组' },
  { id: 'u-shenxian', name: '莘县', group: '县组' },
  { id: 'u-yanggu', name: '阳谷县', group: '县组' },
  { id: 'u-none', name: '市直部门', group: null },
  { id: 'u-nostops', name: '高新区', group: '区组' },
];
const stops = [
  { id: 's5', unitId: 'u-dongchang', day: '2018-12-04', order: 1 },
  { id: 's1', unitId: 'u-yanggu', day: '2018-12-03', order: 1 },
  { id: 's2', unitId: 'u-shenxian', day: '2018-12-03', order: 2 },
  { id: 's3', unitId: 'u-yanggu', day: '2018-12-03', order: 3 },
  { id: 's6', unitId: 'u-none', day: '2018-12-04', order: 2 },
];

describe('tour order', () => {
  it('puts stops in itinerary order: day, then order on the day', () => {
    expect(stopsInItineraryOrder(stops).map((s) => s.id)).toEqual(['s1', 's2', 's3', 's5', 's6']);
  });

  it('puts units in the order of their first stop, units without stops last', () => {
    expect(unitsInItineraryOrder(units, stops).map((u) => u.name)).toEqual(['阳谷县', '莘县', '东昌府区', '市直部门', '高新区']);
  });

  it('puts groups in the order the itinerary first reaches them, not by pinyin', () => {
    expect(groupsInTourOrder(units, stops)).toEqual(['县组', '区组', null]);
  });

  it('puts scorers in assignment order, unordered ones after by the ordinal their name ends with', () => {
    const scorers = [
      { id: 'd', name: '莘县书记', order: 1 },
      { id: 'a', name: '市领导2', order: 3 },
      { id: 'b', name: '市领导10' },
      { id: 'c', name: '市领导1', order: 2 },
      { id: 'e', name: '市领导3' },
      { id: 'f', name: '评委丙' },
      { id: 'g', name: '评委甲' },
    ];
    expect([...scorers].sort(compareScorers).map((s) => s.name)).toEqual(['莘县书记', '市领导1', '市领导2', '市领导3', '市领导10', '评委甲', '评委丙']);
  });

  it('reads ordinals in digits, 天干 and Chinese numerals', () => {
    expect(trailingOrdinal('市领导12')).toEqual({ stem: '市领导', rank: 12 });
    expect(trailingOrdinal('评委丁')).toEqual({ stem: '评委', rank: 4 });
    expect(trailingOrdinal('评委十二号')).toEqual({ stem: '评委', rank: 12 });
    expect(trailingOrdinal('阳谷县书记')).toBeNull();
  });
});
