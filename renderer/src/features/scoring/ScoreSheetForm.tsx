import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import type { Template } from '@shared/domain/schemas';
import { formatHundredths, formatScoreValue, sheetFormSchema, tallySheet } from '@shared/domain/score-input';
import { useDb } from '../../db/db-context';
import { SheetWriteRefused, submitSheet, type SheetTarget } from '../../db/sheets-repo';
import { describeStorageError } from '../../db/storage-safety';
import { useT } from '../../i18n/use-t';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { SaveStatus } from './SaveStatus';
import { scoreIssueMessage } from './score-messages';
import { useSheetAutosave } from './use-sheet-autosave';

type FormValues = Record<string, string>;

/** Field names by position: criterion keys come from imported tables and may hold characters react-hook-form reads as paths. */
const fieldName = (index: number) => `c${index}`;

export interface ScoreSheetFormProps {
  template: Template;
  target: SheetTarget;
  /** criterion key → text shown when the form opens (see initialSheetTexts) */
  initialTexts: Readonly<Record<string, string>>;
  /** the secretariat sent the sheet back for correction */
  isReopened: boolean;
}

/**
 * The score sheet of one stop: one field per criterion (max, step, guidance), refused values
 * explained at the field, a live total, autosave of everything typed (even what cannot be
 * submitted yet), and submit with a confirmation. Keyboard: Tab / Shift-Tab between fields,
 * Enter to the next criterion and from the last one to the submit button.
 */
export function ScoreSheetForm({ template, target, initialTexts, isReopened }: ScoreSheetFormProps) {
  const t = useT();
  const db = useDb();
  const idBase = useId();
  const { criteria } = template;
  const submitRef = useRef<HTMLButtonElement>(null);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const [isConfirming, setConfirming] = useState(false);
  const [isSubmitting, setSubmitting] = useState(false);
  // after a refused submit, say (live) how many fields still need attention
  const [hasTriedSubmit, setTriedSubmit] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const { state: saveState, saver } = useSheetAutosave(target);

  // the shared rules, keyed by field name: drafts may leave fields empty, a submit may not
  const validation = useRef<'draft' | 'submit'>('draft');
  const resolver = useMemo<Resolver<FormValues>>(() => {
    const byField = { criteria: criteria.map((c, i) => ({ ...c, key: fieldName(i) })) };
    const draft = zodResolver(sheetFormSchema(byField, 'draft')) as unknown as Resolver<FormValues>;
    const submit = zodResolver(sheetFormSchema(byField, 'submit')) as unknown as Resolver<FormValues>;
    return (values, context, options) => (validation.current === 'submit' ? submit : draft)(values, context, options);
  }, [criteria]);

  const form = useForm<FormValues>({
    defaultValues: Object.fromEntries(criteria.map((c, i) => [fieldName(i), initialTexts[c.key] ?? ''])),
    mode: 'onChange',
    resolver,
  });
  const { register, control, formState, trigger, getValues } = form;

  const toTexts = useMemo(() => (values: Partial<FormValues>) => Object.fromEntries(criteria.map((c, i) => [c.key, values[fieldName(i)] ?? ''])), [criteria]);
  const values = useWatch({ control });
  const tally = tallySheet(template, toTexts(values));
  const openIssues = Object.keys(tally.issues).length;

  // every change goes to the autosave, valid or not: nothing typed is ever lost
  useEffect(() => {
    const subscription = form.watch((next) => saver.schedule(toTexts(next as FormValues)));
    return () => subscription.unsubscribe();
  }, [form, saver, toTexts]);

  // text restored from a draft may not be valid: show why right away
  useEffect(() => {
    const typed = criteria.map((_, i) => fieldName(i)).filter((name) => (getValues(name) ?? '').trim() !== '');
    if (typed.length > 0) void trigger(typed);
  }, [criteria, getValues, trigger]);

  function onFieldKeyDown(index: number) {
    return (event: KeyboardEvent<HTMLInputElement>) => {
      if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
      event.preventDefault();
      const next = inputs.current[index + 1];
      if (next) {
        next.focus();
        next.select();
      } else submitRef.current?.focus();
    };
  }

  async function askToSubmit() {
    setSubmitError(null);
    validation.current = 'submit';
    const isValid = await trigger();
    validation.current = 'draft';
    const problems = Object.keys(tallySheet(template, toTexts(getValues())).issues).length;
    if (!isValid || problems > 0) {
      setTriedSubmit(true);
      const first = inputs.current[criteria.findIndex((_, i) => form.getFieldState(fieldName(i)).invalid)];
      first?.focus();
      first?.select();
      return;
    }
    setConfirming(true);
  }

  async function confirmSubmit() {
    setSubmitting(true);
    setSubmitError(null);
    try {
      await saver.flush();
      await submitSheet(db, target, toTexts(getValues()));
      // the live sheet turns read-only: this form unmounts
      await saver.close();
    } catch (error) {
      console.warn('submitting the score sheet failed', error);
      setSubmitError(
        error instanceof SheetWriteRefused
          ? t(error.reason === 'incomplete' ? 'sheet.refused.incomplete' : error.reason === 'submitted' ? 'sheet.refused.submitted' : 'sheet.refused.other')
          : t(describeStorageError(error).messageKey),
      );
      setSubmitting(false);
    }
  }

  const total = formatHundredths(tally.totalHundredths);
  const maxTotal = formatHundredths(tally.maxHundredths);
  return (
    <form className="sheet" noValidate onSubmit={(event) => event.preventDefault()} aria-label={t('sheet.formLabel')} data-testid="score-sheet">
      {isReopened && (
        <p className="notice notice--warning sheet__notice" role="status">
          {t('sheet.reopened')}
        </p>
      )}
      <ol className="criteria">
        {criteria.map((criterion, i) => {
          const name = fieldName(i);
          const id = `${idBase}-${i}`;
          const error = formState.errors[name]?.message;
          const { ref, ...field } = register(name);
          return (
            <li key={criterion.key} className={`criterion${error ? ' has-error' : ''}`} data-testid="criterion">
              <div className="criterion__head">
                <span className="criterion__name">
                  <span className="criterion__index" aria-hidden="true">
                    {i + 1}
                  </span>
                  <label htmlFor={id}>{criterion.name}</label>
                </span>
                <span className="criterion__field">
                  <input
                    id={id}
                    className="criterion__input"
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    spellCheck={false}
                    enterKeyHint={i + 1 < criteria.length ? 'next' : 'done'}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
                    {...field}
                    ref={(element) => {
                      ref(element);
                      inputs.current[i] = element;
                    }}
                    onKeyDown={onFieldKeyDown(i)}
                    onFocus={(event) => event.currentTarget.select()}
                  />
                  <span className="criterion__max" aria-hidden="true">
                    / {formatScoreValue(criterion.max)}
                  </span>
                </span>
              </div>
              <p className="criterion__hint" id={`${id}-hint`}>
                <span className="criterion__rule">{t('sheet.maxStep', { max: formatScoreValue(criterion.max), step: formatScoreValue(criterion.step) })}</span>
                {criterion.guidance && <span className="criterion__guidance">{criterion.guidance}</span>}
              </p>
              {error && (
                <p className="criterion__error" id={`${id}-error`} role="alert" data-testid="criterion-error">
                  {scoreIssueMessage(t, error, criterion, values[name] ?? '')}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <div className="sheet__footer">
        <div className="sheet__total" data-testid="sheet-total-line">
          <span className="sheet__total-label">{t('sheet.total')}</span>
          <span className="sheet__total-value" data-testid="sheet-total">
            {total}
          </span>
          <span className="sheet__total-max">/ {maxTotal}</span>
          <span className="sheet__scored">{t('sheet.scoredOf', { scored: tally.scored, total: tally.criteria })}</span>
        </div>
        <SaveStatus state={saveState} onRetry={() => void saver.retry()} />
        {hasTriedSubmit && openIssues > 0 && (
          <p className="sheet__problem" role="alert">
            {t('sheet.fixBeforeSubmit', { count: openIssues })}
          </p>
        )}
        <button type="button" ref={submitRef} className="button button--primary button--large sheet__submit" onClick={() => void askToSubmit()} data-testid="submit-sheet">
          {t('sheet.submit')}
        </button>
      </div>
      <ConfirmDialog
        isOpen={isConfirming}
        title={t('sheet.confirmTitle')}
        confirmLabel={t('sheet.confirmSubmit')}
        cancelLabel={t('sheet.confirmCancel')}
        isBusy={isSubmitting}
        error={submitError}
        onConfirm={() => void confirmSubmit()}
        onCancel={() => {
          setConfirming(false);
          setSubmitError(null);
          submitRef.current?.focus();
        }}
      >
        <p>{t('sheet.confirmTotal', { total, max: maxTotal })}</p>
        <p>{t('sheet.confirmLock')}</p>
      </ConfirmDialog>
    </form>
  );
}
