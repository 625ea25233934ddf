import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Tour } from '@shared/domain/schemas';
import { useDb } from '../../../db/db-context';
import type { MessageKey } from '../../../i18n/catalogs';
import { useT } from '../../../i18n/use-t';
import { describeDeskError } from '../desk-error';
import { saveBulletinHeader } from '../prepare/desk-repo';
import { Field } from '../prepare/TourMetaFields';
import { headerFormValues, headerFromForm, useBulletinHeaderFormSchema, type BulletinHeaderForm } from './bulletin-header-form';

const fieldLabels: Record<keyof BulletinHeaderForm, MessageKey> = {
  issuingAuthority: 'desk.bulletin.header.issuingAuthority',
  documentNumber: 'desk.bulletin.header.documentNumber',
  addressees: 'desk.bulletin.header.addressees',
  signedBy: 'desk.bulletin.header.signedBy',
  issueDate: 'desk.bulletin.header.issueDate',
};
const fieldHints: Partial<Record<keyof BulletinHeaderForm, MessageKey>> = {
  issuingAuthority: 'desk.bulletin.header.issuingAuthorityHint',
  documentNumber: 'desk.bulletin.header.documentNumberHint',
  addressees: 'desk.bulletin.header.addresseesHint',
  signedBy: 'desk.bulletin.header.signedByHint',
};

/**
 * The bulletin's header fields (发文机关, 文号, 主送, 落款, 印发日期), edited above the document
 * and saved with the tour (synced). On screen only: never printed. The 印发日期 stays blank until
 * the secretariat sets it, and the panel says so plainly while it is.
 */
export function BulletinHeaderPanel({ tour }: { tour: Tour }) {
  const db = useDb();
  const t = useT();
  const schema = useBulletinHeaderFormSchema();
  const form = useForm<BulletinHeaderForm>({
    resolver: zodResolver(schema),
    values: headerFormValues(tour.bulletin),
    // a header synced in from another laptop must not wipe what is being typed here
    resetOptions: { keepDirtyValues: true },
  });
  const [status, setStatus] = useState<{ text: string; isError: boolean } | null>(null);
  const errors = form.formState.errors;
  const isDateSet = (tour.bulletin?.issueDate ?? null) !== null;

  const onSubmit = form.handleSubmit(async (values) => {
    setStatus(null);
    try {
      await saveBulletinHeader(db, tour.id, headerFromForm(values));
      setStatus({ text: t('desk.bulletin.header.saved'), isError: false });
    } catch (e) {
      setStatus({ text: t('desk.common.saveFailed', { reason: describeDeskError(e, t) }), isError: true });
    }
  });

  return (
    <section className="panel bulletin-header-panel no-print" aria-labelledby="bulletin-header-title">
      <h2 className="panel__title" id="bulletin-header-title">
        {t('desk.bulletin.header.title')}
      </h2>
      <form className="desk-form" onSubmit={onSubmit} noValidate data-testid="bulletin-header-form">
        <div className="desk-fields bulletin-header-panel__fields">
          {(Object.keys(fieldLabels) as (keyof BulletinHeaderForm)[]).map((name) => {
            const hint = fieldHints[name];
            return (
              <Field key={name} label={t(fieldLabels[name])} error={errors[name]?.message} {...(hint ? { hint: t(hint) } : {})}>
                {(id, describedBy) =>
                  name === 'addressees' ? (
                    // a 主送 line often runs to two lines: room to read it whole
                    <textarea id={id} rows={2} aria-describedby={describedBy} aria-invalid={!!errors[name]} {...form.register(name)} />
                  ) : (
                    <input id={id} type={name === 'issueDate' ? 'date' : 'text'} aria-describedby={describedBy} aria-invalid={!!errors[name]} {...form.register(name)} />
                  )
                }
              </Field>
            );
          })}
        </div>
        {!isDateSet && (
          <p className="notice notice--warning" role="status" data-testid="bulletin-issue-date-unset">
            {t('desk.bulletin.header.issueDateUnset')}
          </p>
        )}
        <div className="desk-form__actions">
          <button type="submit" className="button button--primary" disabled={form.formState.isSubmitting}>
            {t('desk.bulletin.header.save')}
          </button>
          {status && (
            <span className={status.isError ? 'desk-field__error' : 'muted'} role={status.isError ? 'alert' : 'status'}>
              {status.text}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
