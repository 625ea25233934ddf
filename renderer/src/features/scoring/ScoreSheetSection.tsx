import { useCurrentUser } from '../../app/current-user-context';
import { initialSheetTexts, isTourOpenForScoring } from '../../db/sheets-repo';
import { useScoringContext } from '../../db/use-field-data';
import { useUnits } from '../../db/use-tours';
import { useT } from '../../i18n/use-t';
import { ScoreSheetForm } from './ScoreSheetForm';
import { SubmittedSheet } from './SubmittedSheet';
import './scoring.css';

/**
 * The score sheet part of a stop page, for whoever uses the app: the form for a scorer, the
 * locked sheet once submitted, 回避 for a scorer from the host unit, a short line for observers;
 * nothing on a tour without score sheets (study tours).
 */
export function ScoreSheetSection({ tourId, stopId }: { tourId: string; stopId: string }) {
  const t = useT();
  const user = useCurrentUser();
  const ctx = useScoringContext({ tourId, stopId, userId: user.userId });
  const units = useUnits(tourId);

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
  const template = ctx.tour.template!;

  return (
    <section className="panel sheet-section" aria-labelledby="sheet-title" data-testid="sheet-section">
      <header className="sheet-section__header">
        <h2 className="sheet-section__title" id="sheet-title">
          {t('sheet.title')}
        </h2>
        <span className="sheet-section__template">{template.name}</span>
      </header>
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
      ) : ctx.sheet?.status === 'submitted' ? (
        <SubmittedSheet template={template} sheet={ctx.sheet} tourId={tourId} stopId={stopId} />
      ) : !isTourOpenForScoring(ctx.tour) ? (
        <SubmittedSheet template={template} sheet={ctx.sheet} tourId={tourId} stopId={stopId} isClosed />
      ) : (
        <ScoreSheetForm
          // a new form only when the secretariat reopens the sheet: typing (which creates the
          // sheet on the first valid value) must never remount it, or focus and input would be lost
          key={`${ctx.stop.id}:${ctx.role.scorer.id}:${ctx.sheet?.status === 'reopened' ? 'reopened' : 'open'}`}
          template={template}
          target={{ tourId, stopId, userId: user.userId }}
          initialTexts={initialSheetTexts(ctx.tour, ctx.sheet, ctx.draft)}
          isReopened={ctx.sheet?.status === 'reopened'}
        />
      )}
    </section>
  );
}
