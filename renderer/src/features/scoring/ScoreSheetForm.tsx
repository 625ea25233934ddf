import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import type { Template } from '@shared/domain/schemas';
import { formatHundredths, formatScoreValue, sheetFormSchema, tallySheet } from '@shared/domain/score-input';
import { useDb } from '../../db/db-context';
import { SheetWriteRefused, type SheetTarget } from '../../db/sheets-repo';
import { describeStorageError } from '../../db/storage-safety';
import { useT } from '../../i18n/use-t';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { SaveStatus } from './SaveStatus';
import { scoreIssueMessage } from './score-messages';
import { ownedAtOpen, reconcileWithStored, textMeansValue, type StoredScores } from './sheet-sync';
import { submitTypedSheet, useSheetAutosave } from './use-sheet-autosave';

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
  /** the secretariat's words when it reopened the sheet (absent on older records) */
  reopenReason?: string | null;
  /**
   * The stored scores, live: when they change while the form is open (a pull brought what this
   * scorer saved on another laptop, another tab wrote), untouched fields take the new values and
   * fields being typed in keep the user's text (see sheet-sync.ts).
   */
  stored: StoredScores;
  /** updatedAt of the stored sheet (tells the form's own writes, and which of them, from others') */
  storedUpdatedAt: string | null;
  /** every change of the texts on screen (the section keeps the latest, in case the sheet locks under the user) */
  onTextsChange?: (texts: Record<string, string>) => void;
  /** true just before this form submits the sheet itself, false if that failed */
  onSubmitting?: (isSubmitting: boolean) => void;
}

/**
 * The score sheet of one stop: one field per criterion (max, step, guidance), refused values
 * explained at the field, a live total, autosave of everything typed (even what cannot be
 * submitted yet), and submit with a confirmation. Keyboard: Tab / Shift-Tab between fields,
 * Enter to the next criterion and from the last one to the submit button.
 */
export function ScoreSheetForm({ template, target, initialTexts, isReopened, reopenReason, stored, storedUpdatedAt, onTextsChange, onSubmitting }: ScoreSheetFormProps) {
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
  const { state: saveState, saver, ownSaveOf } = useSheetAutosave(target);

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

  // the last stored sheet the form took in
  const baseRef = useRef<StoredScores>(stored);
  // the fields whose text is the user's (see sheet-sync.ts): from the texts at open, then by edits
  const owned = useRef<Set<string> | null>(null);
  owned.current ??= ownedAtOpen(criteria, initialTexts, stored);
  // the user's edits, numbered in order; criterion key → number of its last edit
  const editCount = useRef(0);
  const lastEdit = useRef<Record<string, number>>({});
  // the newest own save taken in: an older one coming back later is behind it and is ignored
  const newestOwnSave = useRef<{ saveNo: number; edits: number }>({ saveNo: 0, edits: 0 });
  // set while fields take stored values: that is not typing, so no save and no "edited" state
  const isApplyingStored = useRef(false);
  // set while submitting: the screen is what gets submitted, nothing may change it meanwhile
  const isFrozen = useRef(false);
  // the criterion the user is typing in: changed since it got focus (cleared on blur)
  const editingKey = useRef<string | null>(null);
  const textsChanged = useRef(onTextsChange);
  textsChanged.current = onTextsChange;
  /** criteria just updated from the stored sheet (shown until the user types again) */
  const [syncedKeys, setSyncedKeys] = useState<readonly string[]>([]);
  /** criterion key → a newer stored value the user is typing over (their text stays) */
  const [keptOver, setKeptOver] = useState<Readonly<Record<string, number | null>>>({});

  // every change goes to the autosave, valid or not: nothing typed is ever lost
  useEffect(() => {
    textsChanged.current?.(toTexts(getValues()));
    const subscription = form.watch((next, { name }) => {
      const texts = toTexts(next as FormValues);
      textsChanged.current?.(texts);
      if (isApplyingStored.current) return;
      const index = name ? criteria.findIndex((_, i) => fieldName(i) === name) : -1;
      const edits = ++editCount.current;
      // the user's edit: that field is theirs (an unnamed change, e.g. a reset, makes every field theirs)
      for (const key of index >= 0 ? [criteria[index]!.key] : criteria.map((c) => c.key)) {
        owned.current!.add(key);
        lastEdit.current[key] = edits;
      }
      if (index >= 0 && inputs.current[index] === document.activeElement) editingKey.current = criteria[index]!.key;
      setSyncedKeys((keys) => (keys.length === 0 ? keys : []));
      saver.schedule({ texts, owned: [...owned.current!], edits });
    });
    return () => subscription.unsubscribe();
  }, [criteria, form, getValues, saver, toTexts]);

  // a newer stored sheet while the form is open (see sheet-sync.ts for the rule)
  useEffect(() => {
    const base = baseRef.current;
    if (base === stored || isFrozen.current) return;
    const own = ownSaveOf(storedUpdatedAt);
    // an own save older than one already taken in: the live query is behind, nothing in it is news
    if (own && own.saveNo < newestOwnSave.current.saveNo) return;
    if (own) newestOwnSave.current = own;
    baseRef.current = stored;
    const typed = toTexts(getValues());
    const { updates, kept, released, needsSave } = reconcileWithStored(
      criteria,
      typed,
      base,
      stored,
      { owned: owned.current!, lastEdit: lastEdit.current, editingKey: editingKey.current },
      own,
    );
    for (const key of released) owned.current!.delete(key);
    const updated = criteria.flatMap((c, i) => (c.key in updates ? [{ key: c.key, name: fieldName(i) }] : []));
    if (updated.length > 0) {
      isApplyingStored.current = true;
      try {
        for (const { key, name } of updated) form.setValue(name, updates[key]!, { shouldValidate: true, shouldDirty: false });
      } finally {
        isApplyingStored.current = false;
      }
      setSyncedKeys(updated.map((u) => u.key));
    }
    // the user's text differs from what a pull stored: write it again (it wins, see sheet-sync.ts)
    if (needsSave) saver.schedule({ texts: toTexts(getValues()), owned: [...owned.current!], edits: editCount.current });
    // a kept value stays flagged while the user is in that field (see onBlur), unless the field comes to say it
    setKeptOver((previous) => {
      const next: Record<string, number | null> = {};
      for (const criterion of criteria) {
        const key = criterion.key;
        if (key in kept) next[key] = kept[key]!;
        else if (key in previous && !textMeansValue(criterion, typed[key], previous[key])) next[key] = previous[key]!;
      }
      return Object.keys(next).length === 0 && Object.keys(previous).length === 0 ? previous : next;
    });
  }, [criteria, form, getValues, ownSaveOf, saver, stored, storedUpdatedAt, toTexts]);

  function takeStored(index: number) {
    const criterion = criteria[index]!;
    form.setValue(fieldName(index), formatScoreValue(keptOver[criterion.key] ?? null), { shouldValidate: true });
    setKeptOver(({ [criterion.key]: _taken, ...rest }) => rest);
    inputs.current[index]?.focus();
  }

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
    onSubmitting?.(true);
    // what is submitted is exactly the screen: nothing the live sheet brings changes the fields
    // from here on; the screen is saved as the last draft (every field the user's), every pending
    // save flushed before it, then those same texts are submitted
    isFrozen.current = true;
    const texts = toTexts(getValues());
    try {
      saver.schedule({ texts, owned: criteria.map((c) => c.key), edits: editCount.current });
      await saver.flush();
      await submitTypedSheet(db, target, texts);
      // the live sheet turns read-only: this form unmounts
      await saver.close();
    } catch (error) {
      console.warn('submitting the score sheet failed', error);
      isFrozen.current = false;
      onSubmitting?.(false);
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
          {reopenReason ? ` ${t('sheet.reopenReason', { reason: reopenReason })}` : null}
        </p>
      )}
      {syncedKeys.length > 0 && (
        <p className="notice notice--info sheet__notice" role="status" data-testid="sheet-synced">
          {t('sheet.sync.updated', { names: criteria.filter((c) => syncedKeys.includes(c.key)).map((c) => c.name).join(t('sheet.sync.listSeparator')) })}
        </p>
      )}
      <ol className="criteria">
        {criteria.map((criterion, i) => {
          const name = fieldName(i);
          const id = `${idBase}-${i}`;
          const error = formState.errors[name]?.message;
          const { ref, ...field } = register(name);
          const isKept = criterion.key in keptOver;
          const keptValue = keptOver[criterion.key] ?? null;
          return (
            <li key={criterion.key} className={`criterion${error ? ' has-error' : ''}${syncedKeys.includes(criterion.key) ? ' criterion--synced' : ''}`} data-testid="criterion">
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
                    aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}${isKept ? ` ${id}-kept` : ''}`}
                    {...field}
                    ref={(element) => {
                      ref(element);
                      inputs.current[i] = element;
                    }}
                    onBlur={(event) => {
                      if (editingKey.current === criterion.key) {
                        editingKey.current = null;
                        // left with its text stored by the newest save taken in: it follows the stored sheet again
                        if ((lastEdit.current[criterion.key] ?? 0) <= newestOwnSave.current.edits && textMeansValue(criterion, getValues(name), baseRef.current[criterion.key])) {
                          owned.current!.delete(criterion.key);
                        }
                      }
                      // the user moved on from the field, their text written: the hint has done its job
                      if (isKept) setKeptOver(({ [criterion.key]: _seen, ...rest }) => rest);
                      return field.onBlur(event);
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
              {isKept && (
                <p className="criterion__kept" id={`${id}-kept`} data-testid="criterion-kept">
                  <span>{keptValue === null ? t('sheet.sync.keptCleared') : t('sheet.sync.kept', { value: formatScoreValue(keptValue) })}</span>
                  <button type="button" className="button" onClick={() => takeStored(i)}>
                    {keptValue === null ? t('sheet.sync.useCleared') : t('sheet.sync.useTheirs', { value: formatScoreValue(keptValue) })}
                  </button>
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
