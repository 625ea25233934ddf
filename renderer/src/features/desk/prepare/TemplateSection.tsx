import { zodResolver } from '@hookform/resolvers/zod';
import type { Template } from '@shared/domain/schemas';
import { importTemplateTable } from '@shared/import';
import { useState } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import type { Tour } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { useT } from '../../../i18n/use-t';
import { saveTemplate } from './desk-repo';
import { TableImport } from './TableImport';
import { templateTotal, useDeskFormSchemas, type TemplateForm } from './tour-form-schema';

/**
 * The score template: import it from the secretariat's table or edit criteria here; the total is
 * shown. A rank-vote tour has no score sheets: the section says so and offers nothing to fill
 * (a template kept from before the method changed stays stored, unused, until the method goes back).
 */
export function TemplateSection({ tour }: { tour: Tour }) {
  const db = useDb();
  const t = useT();
  const templateId = tour.template?.id ?? `${tour.id}-template`;
  const templateName = tour.template?.name ?? t('desk.template.defaultName', { tour: tour.name });
  // outlives the editor, which is re-created (keyed) when the saved template changes
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="desk-template-title" data-testid="template-section">
      <h2 className="panel__title" id="desk-template-title">
        {t('desk.template.title')}
      </h2>
      {tour.kind === 'study' ? (
        <p className="muted">{t('desk.template.studyNone')}</p>
      ) : tour.rules.method === 'rankVote' ? (
        <p className="notice notice--info" data-testid="template-not-needed">
          {t('desk.template.rankVoteNone')}
        </p>
      ) : (
        <>
          {tour.status === 'draft' && tour.template === null && <p className="muted">{t('desk.template.rankVoteHint')}</p>}
          {tour.status !== 'draft' && (
            <p className="notice notice--warning">{t('desk.template.publishedWarning')}</p>
          )}
          <TableImport<Template>
            label={t('desk.template.importLabel')}
            testId="template-import"
            parse={(rows) => importTemplateTable(rows, { id: templateId, name: templateName })}
            preview={(template) => <TemplatePreview template={template} />}
            onSave={async (template) => void (await saveTemplate(db, tour, template))}
          />
          <TemplateEditor key={JSON.stringify(tour.template)} tour={tour} templateId={templateId} templateName={templateName} onSaved={() => setSaved(t('desk.template.saved'))} />
          {saved && (
            <p className="muted" role="status">
              {saved}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function TemplatePreview({ template }: { template: Template }) {
  const t = useT();
  return (
    <table className="desk-table">
      <thead>
        <tr>
          <th scope="col">{t('desk.template.col.criterion')}</th>
          <th scope="col">{t('desk.template.col.points')}</th>
          <th scope="col">{t('desk.template.col.step')}</th>
          <th scope="col">{t('desk.template.col.guidance')}</th>
        </tr>
      </thead>
      <tbody>
        {template.criteria.map((c) => (
          <tr key={c.key}>
            <td>{c.name}</td>
            <td className="num">{c.max}</td>
            <td className="num">{c.step}</td>
            <td>{c.guidance}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('desk.template.total')}</th>
          <td className="num">{templateTotal(template.criteria)}</td>
          <td colSpan={2} />
        </tr>
      </tfoot>
    </table>
  );
}

function nextKey(criteria: readonly { key: string }[]): string {
  let n = criteria.length + 1;
  const taken = new Set(criteria.map((c) => c.key));
  while (taken.has(`c${n}`)) n++;
  return `c${n}`;
}

function TemplateEditor({ tour, templateId, templateName, onSaved }: { tour: Tour; templateId: string; templateName: string; onSaved: () => void }) {
  const db = useDb();
  const t = useT();
  const schemas = useDeskFormSchemas();
  const form = useForm<TemplateForm>({
    resolver: zodResolver(schemas.template),
    defaultValues: { criteria: tour.template?.criteria.map((c) => ({ ...c })) ?? [] },
  });
  const { fields, append, remove, move } = useFieldArray({ control: form.control, name: 'criteria' });
  const criteria = useWatch({ control: form.control, name: 'criteria' });
  const errors = form.formState.errors.criteria;

  const onSubmit = form.handleSubmit(async (values) => {
    await saveTemplate(db, tour, { id: templateId, name: templateName, criteria: values.criteria });
    onSaved();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="desk-form" data-testid="template-editor">
      <table className="desk-table desk-table--edit desk-template">
        <thead>
          <tr>
            <th scope="col" className="desk-template__name">
              {t('desk.template.col.criterion')}
            </th>
            <th scope="col" className="desk-template__num">
              {t('desk.template.col.points')}
            </th>
            <th scope="col" className="desk-template__num">
              {t('desk.template.col.step')}
            </th>
            <th scope="col">{t('desk.template.col.guidance')}</th>
            <th scope="col" className="desk-row-actions">
              {t('desk.template.col.actions')}
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field, i) => {
            const rowErrors = errors?.[i];
            const messages = [rowErrors?.name?.message, rowErrors?.max?.message, rowErrors?.step?.message, rowErrors?.guidance?.message].filter(Boolean);
            return (
              <tr key={field.id}>
                <td>
                  <input aria-label={t('desk.template.rowCriterion', { number: i + 1 })} aria-invalid={!!rowErrors?.name} {...form.register(`criteria.${i}.name`)} />
                  {messages.length > 0 && (
                    <span className="desk-field__error" role="alert">
                      {messages.join(t('desk.template.errorSeparator'))}
                    </span>
                  )}
                </td>
                <td>
                  <input className="num" inputMode="decimal" aria-label={t('desk.template.rowPoints', { number: i + 1 })} aria-invalid={!!rowErrors?.max} {...form.register(`criteria.${i}.max`, { valueAsNumber: true })} />
                </td>
                <td>
                  <input className="num" inputMode="decimal" aria-label={t('desk.template.rowStep', { number: i + 1 })} aria-invalid={!!rowErrors?.step} {...form.register(`criteria.${i}.step`, { valueAsNumber: true })} />
                </td>
                <td>
                  <textarea rows={2} aria-label={t('desk.template.rowGuidance', { number: i + 1 })} {...form.register(`criteria.${i}.guidance`)} />
                </td>
                <td className="desk-row-actions">
                  <button type="button" className="button button--ghost" aria-label={t('desk.template.rowUp', { number: i + 1 })} disabled={i === 0} onClick={() => move(i, i - 1)}>
                    ↑
                  </button>
                  <button type="button" className="button button--ghost" aria-label={t('desk.template.rowDown', { number: i + 1 })} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)}>
                    ↓
                  </button>
                  <button type="button" className="button button--ghost" aria-label={t('desk.template.rowDelete', { number: i + 1 })} onClick={() => remove(i)}>
                    {t('desk.common.delete')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('desk.template.total')}</th>
            <td className="num" data-testid="template-total">
              {templateTotal(criteria ?? [])}
            </td>
            <td colSpan={3} />
          </tr>
        </tfoot>
      </table>
      {errors?.root?.message || errors?.message ? (
        <p className="desk-field__error" role="alert">
          {errors?.root?.message ?? errors?.message}
        </p>
      ) : null}
      <div className="desk-form__actions">
        <button type="button" className="button" onClick={() => append({ key: nextKey(criteria ?? []), name: '', max: 10, step: 0.5, guidance: '' })}>
          {t('desk.template.addCriterion')}
        </button>
        <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
          {t('desk.template.save')}
        </button>
      </div>
    </form>
  );
}
