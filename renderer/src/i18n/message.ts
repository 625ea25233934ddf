/**
 * One catalog entry: a string with `{name}` placeholders, or a plural form chosen by the
 * `count` parameter through Intl.PluralRules (Chinese needs only `other`).
 */
export type Message = string | PluralMessage;

export interface PluralMessage {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

export type MessageParams = Readonly<Record<string, string | number>>;

const placeholder = /\{(\w+)\}/g;

/** Fills `{name}` placeholders; an unknown placeholder stays visible so it is noticed, never blank. */
export function interpolate(text: string, params: MessageParams | undefined): string {
  if (!params) return text;
  return text.replace(placeholder, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function selectPlural(message: PluralMessage, count: number, pluralRules: Intl.PluralRules): string {
  const category = pluralRules.select(count) as keyof PluralMessage;
  return message[category] ?? message.other;
}

export function placeholdersOf(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message).filter((t): t is string => typeof t === 'string');
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(placeholder)) names.add(match[1]!);
  return [...names].sort();
}
