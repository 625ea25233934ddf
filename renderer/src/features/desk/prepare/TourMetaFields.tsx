import { useId, type ReactNode } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import type { TourMetaForm } from './tour-form-schema';

/** Name, kind and dates of a tour (shared by "new tour" and the editor). */
export function TourMetaFields({ form }: { form: UseFormReturn<TourMetaForm> }) {
  const { register, formState } = form;
  const errors = formState.errors;
  return (
    <div className="desk-fields">
      <Field label="活动名称" error={errors.name?.message}>
        {(id, describedBy) => <input id={id} aria-describedby={describedBy} aria-invalid={!!errors.name} {...register('name')} />}
      </Field>
      <Field label="活动类型" error={errors.kind?.message}>
        {(id, describedBy) => (
          <select id={id} aria-describedby={describedBy} {...register('kind')}>
            <option value="scored">观摩评议（评分排名）</option>
            <option value="study">考察学习（不评分）</option>
          </select>
        )}
      </Field>
      <Field label="开始日期" error={errors.startDate?.message}>
        {(id, describedBy) => <input id={id} type="date" aria-describedby={describedBy} aria-invalid={!!errors.startDate} {...register('startDate')} />}
      </Field>
      <Field label="结束日期" error={errors.endDate?.message}>
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

