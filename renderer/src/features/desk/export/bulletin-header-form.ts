/**
 * The bulletin header form (react-hook-form + zod): what the secretariat types for 发文机关, 文号,
 * 主送, 落款 and 印发日期, checked with messages in its language, then tidied into the record the
 * tour stores (the shared bulletinHeaderSchema validates it again when saved).
 */
import { useMemo } from 'react';
import { z } from 'zod';
import type { BulletinHeader } from '@shared/domain/schemas';
import type { Translate } from '../../../i18n/catalogs';
import { useT } from '../../../i18n/use-t';

export function bulletinHeaderFormSchema(t: Translate) {
  const text = (max: number) => z.string().max(max, t('desk.bulletin.header.tooLong', { max }));
  return z.object({
    issuingAuthority: text(100),
    documentNumber: text(60),
    addressees: text(300),
    signedBy: text(100),
    /** '' = not set */
    issueDate: z.union([
      z.literal(''),
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, t('desk.form.dateFormat'))
        .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), t('desk.form.dateInvalid')),
    ]),
  });
}

export type BulletinHeaderForm = z.infer<ReturnType<typeof bulletinHeaderFormSchema>>;

export function useBulletinHeaderFormSchema() {
  const t = useT();
  return useMemo(() => bulletinHeaderFormSchema(t), [t]);
}

/** The form's values for a stored header (none yet: every field empty, no date). */
export function headerFormValues(header: BulletinHeader | undefined): BulletinHeaderForm {
  return {
    issuingAuthority: header?.issuingAuthority ?? '',
    documentNumber: header?.documentNumber ?? '',
    addressees: header?.addressees ?? '',
    signedBy: header?.signedBy ?? '',
    issueDate: header?.issueDate ?? '',
  };
}

/**
 * What the form saves: text trimmed; the 文号's year in 六角括号 as official documents write it
 * (〔2018〕, whatever brackets were typed: [2018] ［2018］ 【2018】 (2018) （2018）); 主送 without
 * a closing colon (the document adds its own); an empty date is "not set" (null).
 */
export function headerFromForm(values: BulletinHeaderForm): BulletinHeader {
  return {
    issuingAuthority: values.issuingAuthority.trim(),
    documentNumber: normalizeDocumentNumber(values.documentNumber),
    addressees: values.addressees.trim().replace(/[：:]+$/u, '').trim(),
    signedBy: values.signedBy.trim(),
    issueDate: values.issueDate === '' ? null : values.issueDate,
  };
}

export function normalizeDocumentNumber(text: string): string {
  return text.trim().replace(/[[［【(（〔]\s*(\d{4})\s*[\]］】)）〕]/gu, '〔$1〕');
}

/** The header fields still empty, in the order the form lists them (the page says they are not printed). */
export function unsetHeaderFields(header: BulletinHeader | undefined): (keyof BulletinHeader)[] {
  const values = headerFormValues(header);
  return (['issuingAuthority', 'documentNumber', 'addressees', 'signedBy', 'issueDate'] as const).filter((k) => values[k].trim() === '');
}
