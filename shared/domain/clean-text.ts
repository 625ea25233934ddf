/**
 * Text at every trust boundary is well-formed Unicode without NUL: no lone UTF-16 surrogate
 * (`"\udc00bad"`, which SQLite stores as-is and PostgreSQL turns into U+FFFD, so that server and
 * laptop no longer agree on an id) and no U+0000 (which PostgreSQL's text type cannot hold at
 * all). Every string of the shared zod schemas starts from `text()`, and the server checks every
 * query parameter, route parameter and JSON body string (keys too) with `isCleanText` before a
 * route sees it (server/src/http/clean-text-guard.ts), so no route can forget it.
 *
 * Pure: no Node, DOM or Electron (shared/).
 */
import { z } from 'zod';

/** a NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one */
const uncleanPattern = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const cleanTextMessage = 'text must be well-formed Unicode without NUL characters';

/** true when `s` is well-formed UTF-16 (every surrogate paired) and holds no NUL character */
export function isCleanText(s: string): boolean {
  return !uncleanPattern.test(s);
}

/**
 * `z.string()` with the boundary refinement: use it for every text a schema accepts from outside
 * (ids, names, free text, record keys). Chains like z.string(): `text().trim().min(1).max(200)`.
 */
export function text() {
  return z.string().refine(isCleanText, cleanTextMessage);
}

/**
 * The first string (value or key) in a JSON-like value that is not clean text, as a path such as
 * `mutations.3.fields.name`, or null when every string is clean. Walks own enumerable properties
 * only; `maxDepth` bounds the walk (deeper nesting counts as unclean: no boundary accepts it).
 */
export function findUncleanText(value: unknown, maxDepth = 64): string | null {
  const walk = (v: unknown, path: string, depth: number): string | null => {
    if (typeof v === 'string') return isCleanText(v) ? null : path || 'value';
    if (typeof v !== 'object' || v === null) return null;
    if (depth > maxDepth) return path || 'value';
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = walk(v[i], path ? `${path}.${i}` : String(i), depth + 1);
        if (found !== null) return found;
      }
      return null;
    }
    for (const key of Object.keys(v)) {
      const at = path ? `${path}.${key}` : key;
      if (!isCleanText(key)) return `${path ? `${path}.` : ''}(a key)`;
      const found = walk((v as Record<string, unknown>)[key], at, depth + 1);
      if (found !== null) return found;
    }
    return null;
  };
  return walk(value, '', 0);
}
