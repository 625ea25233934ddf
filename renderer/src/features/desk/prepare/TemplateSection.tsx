import { zodResolver } from '@hookform/resolvers/zod';
import type { Template } from '@shared/domain/schemas';
import { importTemplateTable } from '@shared/import';
import { useState } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import type { Tour } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { saveTemplate } from './desk-repo';
import { TableImport } from './TableImport';
import { templateFormSchema, templateTotal, type TemplateForm } from './tour-form-schema';

/** The score template: import it from the secretariat's table or edit criteria here; the total is shown. */
export function TemplateSection({ tour }: { tour: Tour }) {
  const db = useDb();
  const templateId = tour.template?.id ?? `${tour.id}-template`;
  const templateName = tour.template?.name ?? `${tour.name}评分表`;
  // outlives the editor, which is re-created (keyed) when the saved template changes
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="desk-template-title" data-testid="template-section">
      <h2 className="panel__title" id="desk-template-title">
        评分表
      </h2>
      {tour.kind === 'study' ? (
        <p className="muted">考察学习活动不评分，没有评分表。</p>
      ) : (
        <>
          {tour.status !== 'draft' && (
            <p className="notice notice--warning">活动已发布：修改或删除评分项目会影响评委已填写的评议表，请谨慎修改。</p>
          )}
          <TableImport<Template>
            label="导入评分表（.xlsx 或 .csv）"
            testId="template-import"
            parse={(rows) => importTemplateTable(rows, { id: templateId, name: templateName })}
            preview={(template) => <TemplatePreview template={template} />}
            onSave={async (template) => void (await saveTemplate(db, tour, template))}
          />
          <TemplateEditor key={JSON.stringify(tour.template)} tour={tour} templateId={templateId} templateName={templateName} onSaved={() => setSaved('评分表已保存')} />
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
  return (
    <table className="desk-table">
      <thead>
        <tr>
          <th scope="col">评分项目</th>
          <th scope="col">分值</th>
          <th scope="col">最小步长</th>
          <th scope="col">评分要点</th>
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
          <th scope="row">合计</th>
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
  const form = useForm<TemplateForm>({
    resolver: zodResolver(templateFormSchema),
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
      <table className="desk-table desk-table--edit">
        <thead>
          <tr>
            <th scope="col">评分项目</th>
            <th scope="col">分值</th>
            <th scope="col">最小步长</th>
            <th scope="col">评分要点</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field, i) => {
            const rowErrors = errors?.[i];
            const messages = [rowErrors?.name?.message, rowErrors?.max?.message, rowErrors?.step?.message, rowErrors?.guidance?.message].filter(Boolean);
            return (
              <tr key={field.id}>
                <td>
                  <input aria-label={`第${i + 1}项 评分项目`} aria-invalid={!!rowErrors?.name} {...form.register(`criteria.${i}.name`)} />
                  {messages.length > 0 && (
                    <span className="desk-field__error" role="alert">
                      {messages.join('；')}
                    </span>
                  )}
                </td>
                <td>
                  <input className="num" inputMode="decimal" aria-label={`第${i + 1}项 分值`} aria-invalid={!!rowErrors?.max} {...form.register(`criteria.${i}.max`, { valueAsNumber: true })} />
                </td>
                <td>
                  <input className="num" inputMode="decimal" aria-label={`第${i + 1}项 最小步长`} aria-invalid={!!rowErrors?.step} {...form.register(`criteria.${i}.step`, { valueAsNumber: true })} />
                </td>
                <td>
                  <textarea rows={1} aria-label={`第${i + 1}项 评分要点`} {...form.register(`criteria.${i}.guidance`)} />
                </td>
                <td className="desk-row-actions">
                  <button type="button" className="button button--ghost" aria-label={`上移第${i + 1}项`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                    ↑
                  </button>
                  <button type="button" className="button button--ghost" aria-label={`下移第${i + 1}项`} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)}>
                    ↓
                  </button>
                  <button type="button" className="button button--ghost" aria-label={`删除第${i + 1}项`} onClick={() => remove(i)}>
                    删除
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">合计</th>
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
          添加评分项目
        </button>
        <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
          保存评分表
        </button>
      </div>
    </form>
  );
}
