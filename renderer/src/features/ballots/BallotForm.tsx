import { useEffect, useId, useRef, useState } from 'react';
import { pointsForPosition } from '@shared/ranking';
import type { Unit } from '@shared/domain/schemas';
import { BallotWriteRefused, submitBallot, type BallotTarget } from '../../db/ballots-repo';
import { useDb } from '../../db/db-context';
import { describeStorageError } from '../../db/storage-safety';
import { useT } from '../../i18n/use-t';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { keepEligible, moveUnitBy, moveUnitTo, placeUnit, unplacedUnits, unplaceUnit } from './ballot-moves';
import { BallotSaveStatus } from './BallotSaveStatus';
import { useBallotAutosave } from './use-ballot-autosave';

export interface BallotFormProps {
  target: BallotTarget;
  unitsById: ReadonlyMap<string, Unit>;
  /** the units the scorer ranks on this list, in list (itinerary) order; the recused unit left out */
  eligible: readonly string[];
  /** what the scorer has placed so far (stored), best first */
  storedPlaced: readonly string[];
  isReopened: boolean;
  /** the secretariat's words when it reopened the ballot (absent on older records) */
  reopenReason?: string | null;
}

type Direction = 'up' | 'down';
/** where the keyboard focus goes after a change re-renders the lists */
type FocusTarget = { kind: 'move'; unitId: string; direction: Direction } | { kind: 'place'; index: number } | { kind: 'remove'; index: number };

/**
 * The scorer's ballot: an order they build themselves. It starts with no unit placed (an
 * untouched default is not a vote): the units wait on the left, in itinerary order, and a click
 * (or Enter) on one places it at the next rank on the right, where each row shows its rank and
 * points and can move up / down or go back. Dragging works too (a waiting unit onto a rank, a
 * placed one onto another's place). Every change is saved as a draft at once (offline, in this
 * browser); "submit" is refused with a clear message until every unit is placed, then asks for
 * confirmation and locks the ballot.
 *
 * Keyboard: every action is a button; focus follows the unit (moves), stays in the waiting list
 * (placing) or the order (taking out), and a live region says what happened.
 */
export function BallotForm({ target, unitsById, eligible, storedPlaced, isReopened, reopenReason }: BallotFormProps) {
  const t = useT();
  const db = useDb();
  const headingId = useId();
  const { state: saveState, saver } = useBallotAutosave(target);
  const [working, setWorking] = useState<readonly string[]>(storedPlaced);
  // units removed from the list by sync while the page is open leave; new ones wait to be placed
  const placed = keepEligible(working, eligible);
  const unplaced = unplacedUnits(placed, eligible);
  const [dragId, setDragId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [focusAfter, setFocusAfter] = useState<FocusTarget | null>(null);
  const [notReady, setNotReady] = useState<string | null>(null);
  const moveButtons = useRef(new Map<string, HTMLButtonElement>());
  const placeList = useRef<HTMLUListElement>(null);
  const orderList = useRef<HTMLOListElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const [isConfirming, setConfirming] = useState(false);
  const [isSubmitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);

  const nameOf = (unitId: string) => unitsById.get(unitId)?.name ?? unitId;
  const isComplete = unplaced.length === 0 && placed.length > 0;

  // a changed list re-inserts DOM nodes, which drops focus: give it back where the scorer works
  useEffect(() => {
    if (!focusAfter) return;
    setFocusAfter(null);
    if (focusAfter.kind === 'move') {
      const { unitId, direction } = focusAfter;
      const same = moveButtons.current.get(`${unitId}:${direction}`);
      const other = moveButtons.current.get(`${unitId}:${direction === 'up' ? 'down' : 'up'}`);
      (same && !same.disabled ? same : (other ?? moveButtons.current.get(`${unitId}:remove`)))?.focus();
      return;
    }
    const list = focusAfter.kind === 'place' ? placeList.current : orderList.current;
    const buttons = [...(list?.querySelectorAll<HTMLButtonElement>(focusAfter.kind === 'place' ? '[data-testid="ballot-place"]' : '[data-action="remove"]') ?? [])];
    const next = buttons[Math.min(focusAfter.index, buttons.length - 1)];
    if (next) next.focus();
    else if (focusAfter.kind === 'place') submitRef.current?.focus();
    else placeList.current?.querySelector<HTMLButtonElement>('[data-testid="ballot-place"]')?.focus();
  }, [focusAfter]);

  function change(next: string[] | null, message: string) {
    if (!next) return;
    setWorking(next);
    saver.schedule(next);
    setNotReady(null);
    setAnnouncement(message);
  }

  function place(unitId: string, beforeId: string | null = null) {
    const index = unplaced.indexOf(unitId);
    const next = placeUnit(placed, unitId, beforeId);
    if (!next) return;
    change(next, t('ballots.placed', { unit: nameOf(unitId), rank: next.indexOf(unitId) + 1, left: unplaced.length - 1 }));
    setFocusAfter({ kind: 'place', index: Math.max(0, index) });
  }

  function remove(unitId: string) {
    const index = placed.indexOf(unitId);
    change(unplaceUnit(placed, unitId), t('ballots.removed', { unit: nameOf(unitId) }));
    setFocusAfter({ kind: 'remove', index });
  }

  function move(unitId: string, direction: Direction) {
    const next = moveUnitBy(placed, unitId, direction);
    if (next) change(next, t('ballots.moved', { unit: nameOf(unitId), rank: next.indexOf(unitId) + 1 }));
    setFocusAfter({ kind: 'move', unitId, direction });
  }

  function drop(targetId: string | null) {
    const moved = dragId;
    setDragId(null);
    if (!moved) return;
    if (placed.includes(moved)) {
      if (targetId !== null) {
        const next = moveUnitTo(placed, moved, targetId);
        if (next) change(next, t('ballots.moved', { unit: nameOf(moved), rank: next.indexOf(moved) + 1 }));
      }
    } else {
      place(moved, targetId);
    }
  }

  function askSubmit() {
    setSubmitError(null);
    if (!isComplete) {
      setNotReady(placed.length === 0 ? t('ballots.notOrdered') : t('ballots.unplacedLeft', { count: unplaced.length }));
      placeList.current?.querySelector<HTMLButtonElement>('[data-testid="ballot-place"]')?.focus();
      return;
    }
    setConfirming(true);
  }

  async function confirmSubmit() {
    setSubmitting(true);
    setSubmitError(null);
    try {
      await saver.flush();
      await submitBallot(db, target, placed);
      // the live ballot turns read-only: this form unmounts
      await saver.close();
    } catch (error) {
      console.warn('submitting the ballot failed', error);
      setSubmitError(
        error instanceof BallotWriteRefused
          ? t(
              error.reason === 'submitted'
                ? 'ballots.refused.submitted'
                : error.reason === 'tourClosed'
                  ? 'ballots.refused.tourClosed'
                  : error.reason === 'unranked'
                    ? 'ballots.refused.unranked'
                    : 'ballots.refused.other',
            )
          : t(describeStorageError(error).messageKey),
      );
      setSubmitting(false);
    }
  }

  if (eligible.length === 0) return <p className="empty">{t('ballots.noUnits')}</p>;
  const nextRank = placed.length + 1;
  return (
    <div className="ballot" data-testid="ballot-form">
      {isReopened && (
        <p className="notice notice--warning" role="status">
          {t('ballots.reopened')}
          {reopenReason ? (
            <>
              {' '}
              {t('ballots.reopenReason', { reason: reopenReason })}
            </>
          ) : null}
        </p>
      )}
      <p className="muted ballot__hint">{t('ballots.instructions')}</p>
      <div className="ballot__columns">
        <section className="ballot__pool" aria-labelledby={`${headingId}-pool`} data-testid="ballot-pool">
          <h3 className="ballot__column-title" id={`${headingId}-pool`}>
            {t('ballots.poolTitle', { count: unplaced.length })}
          </h3>
          {unplaced.length === 0 ? (
            <p className="ballot__pool-done" data-testid="ballot-all-placed">
              {t('ballots.allPlaced')}
            </p>
          ) : (
            <ul className="ballot__pool-units" ref={placeList}>
              {unplaced.map((unitId) => (
                <li key={unitId}>
                  <button
                    type="button"
                    className={`ballot-place${dragId === unitId ? ' ballot-unit--dragging' : ''}`}
                    data-testid="ballot-place"
                    data-unit-id={unitId}
                    draggable
                    onDragStart={(event) => {
                      setDragId(unitId);
                      event.dataTransfer.effectAllowed = 'move';
                      event.dataTransfer.setData('text/plain', unitId);
                    }}
                    onDragEnd={() => setDragId(null)}
                    aria-label={t('ballots.placeLabel', { unit: nameOf(unitId), rank: nextRank })}
                    onClick={() => place(unitId)}
                  >
                    <span className="ballot-place__name">{nameOf(unitId)}</span>
                    <span className="ballot-place__to" aria-hidden="true">
                      {t('ballots.placeAs', { rank: nextRank })}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="ballot__order" aria-labelledby={`${headingId}-order`}>
          <h3 className="ballot__column-title" id={`${headingId}-order`}>
            {t('ballots.orderTitle')}{' '}
            <span className="ballot__progress" data-testid="ballot-progress">
              {t('ballots.progress', { placed: placed.length, total: eligible.length })}
            </span>
          </h3>
          <ol
            className="ballot__units"
            aria-label={t('ballots.orderLabel')}
            data-testid="ballot-units"
            ref={orderList}
            onDragOver={(event) => {
              if (dragId !== null) event.preventDefault();
            }}
            onDrop={(event) => {
              event.preventDefault();
              drop(null);
            }}
          >
            {placed.length === 0 && (
              <li className="ballot__order-empty" data-testid="ballot-order-empty">
                {t('ballots.orderEmpty')}
              </li>
            )}
            {placed.map((unitId, index) => {
              const rank = index + 1;
              const name = nameOf(unitId);
              return (
                <li
                  key={unitId}
                  className={`ballot-unit${dragId === unitId ? ' ballot-unit--dragging' : ''}`}
                  data-testid="ballot-unit"
                  data-unit-id={unitId}
                  draggable
                  onDragStart={(event) => {
                    setDragId(unitId);
                    event.dataTransfer.effectAllowed = 'move';
                    event.dataTransfer.setData('text/plain', unitId);
                  }}
                  onDragEnd={() => setDragId(null)}
                  onDragOver={(event) => {
                    if (dragId !== null && dragId !== unitId) event.preventDefault();
                  }}
                  onDrop={(event) => {
                    event.preventDefault();
                    event.stopPropagation();
                    drop(unitId);
                  }}
                >
                  <span className="ballot-unit__grip" aria-hidden="true">
                    ⠿
                  </span>
                  <span className="ballot-unit__rank">{t('ballots.rank', { rank })}</span>
                  <span className="ballot-unit__name">{name}</span>
                  <span className="ballot-unit__points" data-testid="ballot-points">
                    {t('ballots.points', { points: pointsForPosition(rank) })}
                  </span>
                  <span className="ballot-unit__moves">
                    {(['up', 'down'] as const).map((direction) => (
                      <button
                        key={direction}
                        type="button"
                        className="button button--ghost"
                        ref={(element) => {
                          const key = `${unitId}:${direction}`;
                          if (element) moveButtons.current.set(key, element);
                          else moveButtons.current.delete(key);
                        }}
                        aria-label={t(direction === 'up' ? 'ballots.moveUpLabel' : 'ballots.moveDownLabel', { unit: name })}
                        disabled={direction === 'up' ? index === 0 : index === placed.length - 1}
                        onClick={() => move(unitId, direction)}
                      >
                        {direction === 'up' ? `↑ ${t('ballots.moveUp')}` : `↓ ${t('ballots.moveDown')}`}
                      </button>
                    ))}
                    <button
                      type="button"
                      className="button button--ghost"
                      data-action="remove"
                      ref={(element) => {
                        const key = `${unitId}:remove`;
                        if (element) moveButtons.current.set(key, element);
                        else moveButtons.current.delete(key);
                      }}
                      aria-label={t('ballots.removeLabel', { unit: name })}
                      onClick={() => remove(unitId)}
                    >
                      {t('ballots.remove')}
                    </button>
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="ballot-announcement">
        {announcement}
      </p>
      {notReady && (
        <p className="notice notice--warning ballot__not-ready" role="alert" data-testid="ballot-not-ready">
          {notReady}
        </p>
      )}
      <div className="ballot__footer">
        <BallotSaveStatus state={saveState} onRetry={() => void saver.retry()} />
        <button
          type="button"
          ref={submitRef}
          className={`button button--large${isComplete ? ' button--primary' : ''}`}
          data-testid="submit-ballot"
          onClick={askSubmit}
        >
          {t('ballots.submit')}
        </button>
      </div>
      <ConfirmDialog
        isOpen={isConfirming}
        title={t('ballots.confirmTitle')}
        confirmLabel={t('ballots.confirmSubmit')}
        cancelLabel={t('ballots.confirmCancel')}
        isBusy={isSubmitting}
        error={submitError}
        onConfirm={() => void confirmSubmit()}
        onCancel={() => {
          setConfirming(false);
          setSubmitError(null);
          submitRef.current?.focus();
        }}
      >
        {placed.length > 0 && <p>{t('ballots.confirmOrder', { first: nameOf(placed[0]!), last: nameOf(placed.at(-1)!), count: placed.length })}</p>}
        <p>{t('ballots.confirmLock')}</p>
      </ConfirmDialog>
    </div>
  );
}
