import { Fragment, type ReactNode } from 'react';

/**
 * A translated message with React elements in place of some of its placeholders: translate
 * with the plain params only (t leaves the other `{name}`s as they are), then hand the text
 * here with the elements, e.g. a link or a <strong> with a test id. The catalog keeps the
 * whole sentence, so each language orders its words freely.
 */
export function withNodes(text: string, nodes: Readonly<Record<string, ReactNode>>): ReactNode {
  const parts = text.split(/\{(\w+)\}/);
  // split with a capture group: even indexes are text, odd ones placeholder names
  return parts.map((part, i) => (i % 2 === 0 ? part : <Fragment key={i}>{part in nodes ? nodes[part] : `{${part}}`}</Fragment>));
}
