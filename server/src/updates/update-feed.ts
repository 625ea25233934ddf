/**
 * electron-updater's generic-provider feed files (latest.yml, latest-linux.yml,
 * latest-linux-arm64.yml, latest-mac.yml): which installer of which version, with its sha512
 * (base64) and size, and the staged-rollout percentage.
 *
 * Written and read here in the small YAML subset electron-builder itself writes (scalars, one
 * `files:` list of mappings), so the server needs no YAML dependency; electron-updater reads them
 * with js-yaml (update-feed.test.ts checks that it reads what this writes). A feed file in any
 * other shape is refused with a message, never half-merged.
 */
import { z } from 'zod';
import { appVersionSchema } from '@shared/sync/protocol-version';

/** A name an installer may have in the updates folder: no path, no leading dot, ASCII. */
export const updateFileNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/, 'a file name of letters, digits, . _ + - (no folders)');

export const feedFileSchema = z.object({
  url: updateFileNameSchema,
  sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'sha512 in base64'),
  size: z.number().int().min(0),
  blockMapSize: z.number().int().min(0).optional(),
});
export type FeedFile = z.infer<typeof feedFileSchema>;

export const updateFeedSchema = z.object({
  version: appVersionSchema,
  files: z.array(feedFileSchema).min(1),
  /** legacy fields electron-updater still reads: the first file */
  path: updateFileNameSchema,
  sha512: z.string(),
  releaseDate: z.string(),
  /** staged rollout: electron-updater offers the update to this share of laptops (stable per laptop) */
  stagingPercentage: z.number().int().min(0).max(100).optional(),
  releaseNotes: z.string().max(10_000).optional(),
});
export type UpdateFeed = z.infer<typeof updateFeedSchema>;

export { feedNameFor, versionInFileName, type FeedName } from '@shared/updates/feed-names';

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function formatFeed(feed: UpdateFeed): string {
  const lines = [`version: ${quote(feed.version)}`, 'files:'];
  for (const file of feed.files) {
    lines.push(`  - url: ${quote(file.url)}`, `    sha512: ${quote(file.sha512)}`, `    size: ${file.size}`);
    if (file.blockMapSize !== undefined) lines.push(`    blockMapSize: ${file.blockMapSize}`);
  }
  lines.push(`path: ${quote(feed.path)}`, `sha512: ${quote(feed.sha512)}`, `releaseDate: ${quote(feed.releaseDate)}`);
  if (feed.stagingPercentage !== undefined) lines.push(`stagingPercentage: ${feed.stagingPercentage}`);
  if (feed.releaseNotes !== undefined) lines.push(`releaseNotes: ${quote(feed.releaseNotes.replace(/\r?\n/g, ' '))}`);
  return `${lines.join('\n')}\n`;
}

export class FeedFormatError extends Error {
  override name = 'FeedFormatError';
}

function scalar(raw: string): string | number {
  const text = raw.trim();
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) return text.slice(1, -1).replaceAll("''", "'");
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) return JSON.parse(text) as string;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

/** Reads a feed in the subset electron-builder and formatFeed write; throws FeedFormatError otherwise. */
export function parseFeed(text: string, name = 'feed'): UpdateFeed {
  const top: Record<string, unknown> = {};
  const files: Array<Record<string, unknown>> = [];
  let inFiles = false;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const item = /^\s+-\s+([A-Za-z0-9]+):\s*(.*)$/.exec(line);
    const field = /^\s+([A-Za-z0-9]+):\s*(.*)$/.exec(line);
    const key = /^([A-Za-z0-9]+):\s*(.*)$/.exec(line);
    if (inFiles && item) files.push({ [item[1]!]: scalar(item[2]!) });
    else if (inFiles && field && files.length > 0) files[files.length - 1]![field[1]!] = scalar(field[2]!);
    else if (key) {
      inFiles = key[1] === 'files' && key[2]!.trim() === '';
      if (!inFiles) top[key[1]!] = key[1] === 'version' ? String(scalar(key[2]!)) : scalar(key[2]!);
    } else throw new FeedFormatError(`${name}, line ${index + 1}: not in the form electron-builder writes`);
  }
  const parsed = updateFeedSchema.safeParse({ ...top, files, ...(top.releaseNotes !== undefined ? { releaseNotes: String(top.releaseNotes) } : {}) });
  if (!parsed.success) throw new FeedFormatError(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
