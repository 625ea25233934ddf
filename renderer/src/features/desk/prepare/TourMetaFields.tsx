import { useId, type ReactNode } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { useT } from '../../../i18n/use-t';
import type { TourMetaForm } from './tour-form-schema';

/** Name, kind and dates of a tour (shared by "new tour" and the editor). */
export function TourMetaFields({ form }: { form: UseFormReturn<TourMetaForm> }) {
  const t = useT();
  const { register, formState } = form;
  const errors = formState.errors;
  return (
    <div className="desk-fields">
      <Field label={t('desk.meta.name')} error={errors.name?.message}>
        {(id, describedBy) => <input id={id} aria-describedby={describedBy} aria-invalid={!!errors.name} {...register('name')} />}
      </Field>
      <Field label={t('desk.meta.kind')} error={errors.kind?.message}>
        {(id, describedBy) => (
          <select id={id} aria-describedby={describedBy} {...register('kind')}>
            <option value="scored">{t('desk.meta.kindScored')}</option>
            <option value="study">{t('desk.meta.kindStudy')}</option>
          </select>
        )}
      </Field>
      <Field label={t('desk.meta.startDate')} error={errors.startDate?.message}>
        {(id, describedBy) => <input id={id} type="date" aria-describedby={describedBy} aria-invalid={!!errors.startDate} {...register('startDate')} />}
      </Field>
      <Field label={t('desk.meta.endDate')} error={errors.endDate?.message}>
        {(id, describedBy) => <input id={id} type="date" aria-describedby={describedBy} aria-invalid={!!errors.endDate} {...register('endDate')} />}
      </Field>
    </div>
  );
}

/** A labelled form field with its error message (announced, linked by aria-describedby). */
export function Field({ label, error, hint, children }: { label: string; error?: string | undefined; hint?: string; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="desk-field">
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {hint && (
        <span id={hintId} className="muted desk-field__hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="desk-field__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

