import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepEligible, moveUnitBy, moveUnitTo, placeUnit, unplacedUnits, unplaceUnit } from './ballot-moves';

describe('ballot moves', () => {
  it('moves a unit one place up or down, not past either end', () => {
    expect(moveUnitBy(['a', 'b', 'c'], 'b', 'up')).toEqual(['b', 'a', 'c']);
    expect(moveUnitBy(['a', 'b', 'c'], 'b', 'down')).toEqual(['a', 'c', 'b']);
    expect(moveUnitBy(['a', 'b', 'c'], 'a', 'up')).toBeNull();
    expect(moveUnitBy(['a', 'b', 'c'], 'c', 'down')).toBeNull();
    expect(moveUnitBy(['a', 'b', 'c'], 'x', 'up')).toBeNull();
  });

  it('drops a unit onto another unit’s place, shifting the ones between', () => {
    expect(moveUnitTo(['a', 'b', 'c', 'd'], 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
    expect(moveUnitTo(['a', 'b', 'c', 'd'], 'a', 'c')).toEqual(['b', 'c', 'a', 'd']);
    expect(moveUnitTo(['a', 'b'], 'a', 'a')).toBeNull();
    expect(moveUnitTo(['a', 'b'], 'a', 'x')).toBeNull();
  });

  it('keeps every unit exactly once whatever the moves (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean())), (units, moves) => {
        let order: readonly string[] = units;
        for (const [i, j, isDrag] of moves) {
          const a = order[i % order.length]!;
          const b = order[j % order.length]!;
          order = (isDrag ? moveUnitTo(order, a, b) : moveUnitBy(order, a, j % 2 === 0 ? 'up' : 'down')) ?? order;
        }
        expect([...order].sort()).toEqual([...units].sort());
      }),
    );
  });

  it('places a unit at the end or at another unit’s place, once, and takes it back out', () => {
    expect(placeUnit([], 'b')).toEqual(['b']);
    expect(placeUnit(['b'], 'a')).toEqual(['b', 'a']);
    expect(placeUnit(['b', 'a'], 'c', 'a')).toEqual(['b', 'c', 'a']);
    expect(placeUnit(['b', 'a'], 'c', 'gone')).toEqual(['b', 'a', 'c']);
    expect(placeUnit(['b', 'a'], 'a')).toBeNull();
    expect(unplaceUnit(['b', 'c', 'a'], 'c')).toEqual(['b', 'a']);
    expect(unplaceUnit(['b'], 'b')).toEqual([]);
    expect(unplaceUnit(['b'], 'x')).toBeNull();
  });

  it('keeps the placed units in step with the list: units gone leave, new ones wait to be placed', () => {
    const placed = ['c', 'a'];
    expect(keepEligible(placed, ['a', 'b', 'c'])).toBe(placed);
    expect(keepEligible(placed, ['a', 'b', 'c', 'd'])).toBe(placed);
    expect(keepEligible(placed, ['b', 'c'])).toEqual(['c']);
    expect(unplacedUnits(placed, ['a', 'b', 'c', 'd'])).toEqual(['b', 'd']);
    expect(unplacedUnits([], ['a', 'b'])).toEqual(['a', 'b']);
  });
});
