import type { MessageParams } from '../../i18n/message';
import { createTranslator, defaultLocale, type MessageKey, type Translate } from '../../i18n/catalogs';
import { describeStorageError } from '../../db/storage-safety';

/**
 * An error the desk refuses with on purpose (e.g. a re-import that would drop scored stops),
 * carrying its catalog key so the screen says it in the user's language. `message` is the
 * default-language text, for logs and for callers that only print it.
 */
export class DeskRefusal extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    /** list params (e.g. names), joined the way the language writes lists */
    readonly lists: Readonly<Record<string, readonly string[]>> = {},
  ) {
    super(refusalText(createTranslator(defaultLocale), key, params, lists));
  }
}

function refusalText(t: Translate, key: MessageKey, params: MessageParams, lists: Readonly<Record<string, readonly string[]>>): string {
  const separator = t('common.listSeparator');
  const joined = Object.fromEntries(Object.entries(lists).map(([name, items]) => [name, items.join(separator)]));
  return t(key, { ...params, ...joined });
}

/** What to tell the user about a failed desk action: a refusal in their language, a full disk as the field app says it, else the error's own text. */
export function describeDeskError(error: unknown, t: Translate): string {
  if (error instanceof DeskRefusal) return refusalText(t, error.key, error.params, error.lists);
  const storage = describeStorageError(error);
  if (storage.kind !== 'other') return t(storage.messageKey);
  return error instanceof Error ? error.message : String(error);
}
