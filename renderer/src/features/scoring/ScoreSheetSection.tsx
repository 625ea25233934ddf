import { useEffect, useRef, useState } from 'react';
import type { Template } from '@shared/domain/schemas';
import { useCurrentUser } from '../../app/current-user-context';
import { initialSheetTexts, isTourOpenForScoring } from '../../db/sheets-repo';
import { useScoringContext } from '../../db/use-field-data';
import { useUnits } from '../../db/use-tours';
import { formatDateTime } from '../../i18n/format';
import { useI18n, useT } from '../../i18n/use-t';
import { ScoreSheetForm } from './ScoreSheetForm';
import { textsNotIn } from './sheet-sync';
import { SubmittedSheet } from './SubmittedSheet';
import './scoring.css';

const NO_SCORES: Readonly<Record<string, number | null>> = Object.freeze({});

/** What happened to the sheet on screen through sync (or a closed tour), to tell the user once. */
type SyncNotice =
  /** submitted on another laptop of this scorer; what was typed here and is not in it */
  | { kind: 'lockedElsewhere'; at: string | null; leftover: Record<string, string> }
  /** the secretariat closed scoring while the form was open */
  | { kind: 'closed'; leftover: Record<string, string> }
  /** the secretariat reopened it while the locked sheet was on screen */
  | { kind: 'reopened'; at: string; reason: string | null };

type SheetMode = 'form' | 'submitted' | 'closed' | 'other';

/**
 * The score sheet part of a stop page, for whoever uses the app: the form for a scorer, the
 * locked sheet once submitted, 回避 for a scorer from the host unit, a short line for observers;
 * nothing on a tour without score sheets (study tours).
 *
 * The sheet follows sync while it is open: values saved on another laptop fill untouched fields
 * (ScoreSheetForm), a submit from another laptop locks the form with a notice that lists
 * whatever was typed here and is not in the submitted sheet, and a reopen by the secretariat
 * unlocks it with a notice.
 */
export function ScoreSheetSection({ tourId, stopId }: { tourId: string; stopId: string }) {
  const t = useT();
  const user = useCurrentUser();
  const ctx = useScoringContext({ tourId, stopId, userId: user.userId });
  const units = useUnits(tourId);
  const latestTexts = useRef<Record<string, string>>({});
  const isOwnSubmit = useRef(false);
  const previousMode = useRef<SheetMode | null>(null);
  const [notice, setNotice] = useState<SyncNotice | null>(null);

  const sheet = ctx?.sheet ?? null;
  const mode: SheetMode | null =
    ctx === undefined || ctx === null
      ? null
      : ctx.role.kind !== 'scorer'
        ? 'other'
        : sheet?.status === 'submitted'
          ? 'submitted'
          : !isTourOpenForScoring(ctx.tour)
            ? 'closed'
            : 'form';
  const template = ctx?.tour.template ?? null;

  useEffect(() => {
    if (mode === null) return;
    const previous = previousMode.current;
    previousMode.current = mode;
    if (previous === null || previous === mode) return;
    if (previous === 'form' && (mode === 'submitted' || mode === 'closed')) {
      const wasOwnSubmit = isOwnSubmit.current;
      isOwnSubmit.current = false;
      if (wasOwnSubmit && mode === 'submitted') return;
      const leftover = template ? textsNotIn(template.criteria, latestTexts.current, sheet?.scores ?? NO_SCORES) : {};
      setNotice(mode === 'submitted' ? { kind: 'lockedElsewhere', at: sheet?.submittedAt ?? null, leftover } : { kind: 'closed', leftover });
    } else if (previous === 'submitted' && mode === 'form' && sheet?.status === 'reopened') {
      setNotice({ kind: 'reopened', at: sheet.updatedAt, reason: sheet.reopenReason ?? null });
    } else if (mode === 'form') {
      setNotice(null);
    }
  }, [mode, sheet, template]);

  if (ctx === undefined) {
    return (
      <section className="panel sheet-section" aria-busy="true">
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </section>
    );
  }
  if (ctx === null || ctx.role.kind === 'noSheet') return null;

  return (
    <section className="panel sheet-section" aria-labelledby="sheet-title" data-testid="sheet-section">
      <header className="sheet-section__header">
        <h2 className="sheet-section__title" id="sheet-title">
          {t('sheet.title')}
        </h2>
        <span className="sheet-section__template">{template!.name}</span>
      </header>
      {notice && <SheetSyncNotice notice={notice} template={template!} onDismiss={() => setNotice(null)} />}
      {ctx.role.kind === 'recused' ? (
        <div className="recused" data-testid="recused">
          <span className="recused__mark">{t('sheet.recusedMark')}</span>
          {/* wait for the units query rather than flash 未知单位 for a moment */}
          {units !== undefined && <p>{t('sheet.recusedText', { unit: units.find((u) => u.id === ctx.stop.unitId)?.name ?? t('stop.unknownUnit') })}</p>}
        </div>
      ) : ctx.role.kind === 'observer' ? (
        <p className="notice notice--info" data-testid="observer-note">
          {t('sheet.observerText')}
        </p>
      ) : ctx.role.kind === 'unassigned' ? (
        <p className="notice notice--info">{t('sheet.unassignedText')}</p>
      ) : mode === 'submitted' ? (
        <SubmittedSheet template={template!} sheet={sheet} tourId={tourId} stopId={stopId} />
      ) : mode === 'closed' ? (
        <SubmittedSheet template={template!} sheet={sheet} tourId={tourId} stopId={stopId} isClosed />
      ) : (
        <ScoreSheetForm
          // a new form only when the secretariat reopens the sheet: typing (which creates the
          // sheet on the first valid value) must never remount it, or focus and input would be lost
          key={`${ctx.stop.id}:${ctx.role.scorer.id}:${sheet?.status === 'reopened' ? 'reopened' : 'open'}`}
          template={template!}
          target={{ tourId, stopId, userId: user.userId }}
          initialTexts={initialSheetTexts(ctx.tour, sheet, ctx.draft)}
          // the standing note, unless the notice of the reopen that just arrived says it already
          isReopened={sheet?.status === 'reopened' && notice?.kind !== 'reopened'}
          reopenReason={sheet?.reopenReason}
          stored={sheet?.scores ?? NO_SCORES}
          storedUpdatedAt={sheet?.updatedAt ?? null}
          onTextsChange={(texts) => {
            latestTexts.current = texts;
          }}
          onSubmitting={(isSubmitting) => {
            isOwnSubmit.current = isSubmitting;
          }}
        />
      )}
    </section>
  );
}

/**
 * Told once, above the sheet, until dismissed: a lock or a reopen that arrived by sync. The
 * reopen names the secretariat (秘书处), the only role that can reopen, and its reason (the
 * server writes it on the sheet; older records have none).
 */
function SheetSyncNotice({ notice, template, onDismiss }: { notice: SyncNotice; template: Template; onDismiss: () => void }) {
  const { t, locale } = useI18n();
  const leftover = notice.kind === 'reopened' ? [] : template.criteria.filter((c) => c.key in notice.leftover).map((c) => t('sheet.sync.leftoverItem', { name: c.name, text: notice.leftover[c.key]! }));
  return (
    <div className={`notice ${notice.kind === 'reopened' ? 'notice--warning' : 'notice--info'} sheet-sync-notice`} role="status" data-testid="sheet-sync-notice" data-kind={notice.kind}>
      <div className="sheet-sync-notice__text">
        <span>
          {notice.kind === 'lockedElsewhere'
            ? notice.at
              ? t('sheet.sync.lockedElsewhereAt', { time: formatDateTime(notice.at, locale) })
              : t('sheet.sync.lockedElsewhere')
            : notice.kind === 'closed'
              ? t('sheet.sync.closed')
              : t('sheet.sync.reopened', { time: formatDateTime(notice.at, locale) })}
        </span>
        {notice.kind === 'reopened' && notice.reason && <span data-testid="sheet-reopen-reason">{t('sheet.reopenReason', { reason: notice.reason })}</span>}
        {leftover.length > 0 && (
          <span data-testid="sheet-sync-leftover">
            {t(notice.kind === 'closed' ? 'sheet.sync.leftoverClosed' : 'sheet.sync.leftover', { list: leftover.join(t('sheet.sync.listSeparator')) })}
          </span>
        )}
      </div>
      <button type="button" className="button" onClick={onDismiss}>
        {t('sheet.sync.dismiss')}
      </button>
    </div>
  );
}
