import { useEffect, useRef, useState } from 'react';
import { pointsForPosition } from '@shared/ranking';
import type { Unit } from '@shared/domain/schemas';
import { BallotWriteRefused, submitBallot, type BallotTarget } from '../../db/ballots-repo';
import { useDb } from '../../db/db-context';
import { describeStorageError } from '../../db/storage-safety';
import { useT } from '../../i18n/use-t';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { moveUnitBy, moveUnitTo, reconcileOrder } from './ballot-moves';
import { BallotSaveStatus } from './BallotSaveStatus';
import { useBallotAutosave } from './use-ballot-autosave';

export interface BallotFormProps {
  target: BallotTarget;
  unitsById: ReadonlyMap<string, Unit>;
  /** the order stored (or the default one), best first; the recused unit already left out */
  storedOrder: readonly string[];
  isReopened: boolean;
  /** the secretariat's words when it reopened the ballot (absent on older records) */
  reopenReason?: string | null;
}

type Direction = 'up' | 'down';

/**
 * The scorer's ballot: the units of one ranking list, best first, each with its rank and the
 * points that rank earns. Reorder by dragging a row onto another, or by keyboard with each row's
 * up / down buttons (focus follows the moved unit; a live region says where it went). Every
 * move is saved as a draft at once; "submit" asks for confirmation, then locks the ballot.
 */
export function BallotForm({ target, unitsById, storedOrder, isReopened, reopenReason }: BallotFormProps) {
  const t = useT();
  const db = useDb();
  const { state: saveState, saver } = useBallotAutosave(target);
  const [working, setWorking] = useState<readonly string[]>(storedOrder);
  // units added or removed by sync while the page is open join / leave the working order
  const order = reconcileOrder(working, storedOrder);
  const [dragId, setDragId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [focusAfterMove, setFocusAfterMove] = useState<{ unitId: string; direction: Direction } | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const submitRef = useRef<HTMLButtonElement>(null);
  const [isConfirming, setConfirming] = useState(false);
  const [isSubmitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);

  const nameOf = (unitId: string) => unitsById.get(unitId)?.name ?? unitId;

  // a moved row's DOM node is re-inserted, which drops focus: give it back to the same button,
  // or to the other one when the unit reached the end and this one is disabled
  useEffect(() => {
    if (!focusAfterMove) return;
    const { unitId, direction } = focusAfterMove;
    const same = buttons.current.get(`${unitId}:${direction}`);
    const other = buttons.current.get(`${unitId}:${direction === 'up' ? 'down' : 'up'}`);
    (same && !same.disabled ? same : other)?.focus();
    setFocusAfterMove(null);
  }, [focusAfterMove]);

  function apply(next: string[] | null, unitId: string) {
    if (!next) return;
    setWorking(next);
    saver.schedule(next);
    setAnnouncement(t('ballots.moved', { unit: nameOf(unitId), rank: next.indexOf(unitId) + 1 }));
  }

  function move(unitId: string, direction: Direction) {
    apply(moveUnitBy(order, unitId, direction), unitId);
    setFocusAfterMove({ unitId, direction });
  }

  async function confirmSubmit() {
    setSubmitting(true);
    setSubmitError(null);
    try {
      await saver.flush();
      await submitBallot(db, target, order);
      // the live ballot turns read-only: this form unmounts
      await saver.close();
    } catch (error) {
      console.warn('submitting the ballot failed', error);
      setSubmitError(
        error instanceof BallotWriteRefused
          ? t(error.reason === 'submitted' ? 'ballots.refused.submitted' : error.reason === 'tourClosed' ? 'ballots.refused.tourClosed' : 'ballots.refused.other')
          : t(describeStorageError(error).messageKey),
      );
      setSubmitting(false);
    }
  }

  if (order.length === 0) return <p className="empty">{t('ballots.noUnits')}</p>;
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
      <ol className="ballot__units" aria-label={t('ballots.orderLabel')} data-testid="ballot-units">
        {order.map((unitId, index) => {
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
                const moved = dragId ?? event.dataTransfer.getData('text/plain');
                setDragId(null);
                if (moved) apply(moveUnitTo(order, moved, unitId), moved);
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
                      if (element) buttons.current.set(key, element);
                      else buttons.current.delete(key);
                    }}
                    aria-label={t(direction === 'up' ? 'ballots.moveUpLabel' : 'ballots.moveDownLabel', { unit: name })}
                    disabled={direction === 'up' ? index === 0 : index === order.length - 1}
                    onClick={() => move(unitId, direction)}
                  >
                    {direction === 'up' ? `↑ ${t('ballots.moveUp')}` : `↓ ${t('ballots.moveDown')}`}
                  </button>
                ))}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="ballot-announcement">
        {announcement}
      </p>
      <div className="ballot__footer">
        <BallotSaveStatus state={saveState} onRetry={() => void saver.retry()} />
        <button
          type="button"
          ref={submitRef}
          className="button button--primary button--large"
          data-testid="submit-ballot"
          onClick={() => {
            setSubmitError(null);
            setConfirming(true);
          }}
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
        <p>{t('ballots.confirmOrder', { first: nameOf(order[0]!), last: nameOf(order.at(-1)!), count: order.length })}</p>
        <p>{t('ballots.confirmLock')}</p>
      </ConfirmDialog>
    </div>
  );
}
