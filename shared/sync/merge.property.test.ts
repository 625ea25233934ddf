/**
 * Properties of the merge: replicas that have seen the same writes agree, whatever the order,
 * grouping or repetition of deliveries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc } from './hlc';
import { applyFieldChanges, changeAsRecord, mergeRecord, type FieldChange, type VersionedRecord } from './merge';

const hlcArb = fc
  .record({
    millis: fc.integer({ min: 1_638_950_000_000, max: 1_638_950_000_003 }),
    counter: fc.integer({ min: 0, max: 1 }),
    node: fc.constantFrom('a', 'b', 'c'),
  })
  .map(formatHlc);

const valueArb = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('x', 'y', null), fc.record({ k: fc.integer({ min: 0, max: 2 }) }));

const changeArb: fc.Arbitrary<FieldChange> = fc.record({
  op: fc.constantFrom<'upsert' | 'delete'>('upsert', 'upsert', 'upsert', 'delete'),
  fields: fc.dictionary(fc.constantFrom('text', 'kind', 'score', 'status'), valueArb, { maxKeys: 3 }),
  hlc: hlcArb,
});

const recordArb: fc.Arbitrary<VersionedRecord | null> = fc.option(
  fc.array(changeArb, { maxLength: 4 }).map((changes) => changes.reduce<VersionedRecord | null>((r, c) => applyFieldChanges(r, c).record, null)),
);

function applyAll(changes: readonly FieldChange[], start: VersionedRecord | null = null): VersionedRecord | null {
  return changes.reduce<VersionedRecord | null>((r, c) => applyFieldChanges(r, c).record, start);
}

describe('mergeRecord', () => {
  it('is commutative', () => {
    fc.assert(fc.property(recordArb, recordArb, (a, b) => {
      expect(mergeRecord(a, b)).toEqual(mergeRecord(b, a));
    }));
  });

  it('is associative', () => {
    fc.assert(
      fc.property(recordArb, recordArb, recordArb, (a, b, c) => {
        expect(mergeRecord(mergeRecord(a, b), c)).toEqual(mergeRecord(a, mergeRecord(b, c)));
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(recordArb, recordArb, (a, b) => {
        const ab = mergeRecord(a, b);
        expect(mergeRecord(ab, b)).toEqual(ab);
        expect(mergeRecord(ab, ab)).toEqual(ab);
      }),
    );
  });
});

describe('applyFieldChanges', () => {
  it('ends in the same state whatever order the changes arrive in, and however often', () => {
    fc.assert(
      fc.property(
        fc.array(changeArb, { minLength: 1, maxLength: 8 }).chain((changes) =>
          fc.tuple(fc.constant(changes), fc.shuffledSubarray(changes, { minLength: changes.length, maxLength: changes.length }), fc.array(fc.nat({ max: changes.length - 1 }), { maxLength: 4 })),
        ),
        ([changes, shuffled, repeats]) => {
          const inOrder = applyAll(changes);
          const withRepeats = [...shuffled, ...repeats.map((i) => changes[i]!)];
          expect(applyAll(withRepeats)).toEqual(inOrder);
        },
      ),
    );
  });

  it('two replicas that exchange their states converge to the state of all changes applied in one place', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 8 }), fc.array(changeArb, { maxLength: 8 }), (left, right) => {
        const a = applyAll(left);
        const b = applyAll(right);
        const everything = applyAll([...left, ...right]);
        expect(mergeRecord(a, b)).toEqual(everything ?? { data: {}, versions: {}, deleted: false });
      }),
    );
  });

  it('the last writer (greatest HLC) of each field wins', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { minLength: 1, maxLength: 8 }), (changes) => {
        const state = applyAll(changes)!;
        for (const field of Object.keys(state.data)) {
          const writers = changes.filter((c) => field in c.fields);
          const newest = writers.reduce((m, c) => (c.hlc > m ? c.hlc : m), '');
          expect(state.versions[field]).toBe(newest);
        }
        expect(state.deleted).toBe(changes.some((c) => c.op === 'delete'));
      }),
    );
  });

  it('is the same as merging the change as a record', () => {
    fc.assert(fc.property(recordArb, changeArb, (r, c) => {
        expect(applyFieldChanges(r, c).record).toEqual(mergeRecord(r, changeAsRecord(c)));
      }));
  });
});
