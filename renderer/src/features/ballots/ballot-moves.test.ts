import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moveUnitBy, moveUnitTo, reconcileOrder } from './ballot-moves';

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

  it('reconciles the working order with the list’s units', () => {
    const working = ['c', 'a', 'b'];
    expect(reconcileOrder(working, ['a', 'b', 'c'])).toBe(working);
    expect(reconcileOrder(working, ['a', 'b', 'c', 'd'])).toEqual(['c', 'a', 'b', 'd']);
    expect(reconcileOrder(working, ['b', 'c'])).toEqual(['c', 'b']);
  });
});
