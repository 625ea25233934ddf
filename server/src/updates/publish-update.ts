/**
 * `guanmo-server updates publish FILE…`: puts installers into the updates folder and writes or
 * merges the feed files electron-updater reads (update-feed.ts).
 *
 * What must stay true:
 * - A laptop never sees a feed naming a file that is not complete in the folder: every installer
 *   is copied under a temporary name and renamed into place before any feed is written, and each
 *   feed is written to a temporary file and renamed over the old one.
 * - The sha512 and size in a feed are computed here from the bytes copied, never taken on trust.
 * - Publishing the same version again merges (another platform's file joins the feed, a rebuilt
 *   file replaces its entry); a different version replaces the feed. Old installers stay in the
 *   folder (a laptop mid-download finishes; `.blockmap` files let the next update be differential).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { appVersionSchema } from '@shared/sync/protocol-version';
import { feedNameFor, formatFeed, parseFeed, updateFileNameSchema, versionInFileName, type FeedFile, type FeedName, type UpdateFeed } from './update-feed.js';

export class PublishError extends Error {
  override name = 'PublishError';
}

export interface PublishOptions {
  /** the version of the files; default: read from their names (Guanmo-0.2.0-…) */
  version?: string;
  /** staged rollout, 1…100 percent of laptops; undefined = everyone (the field is left out) */
  stagingPercentage?: number;
  releaseNotes?: string;
  now?: () => Date;
}

export interface PublishedFeed {
  feed: FeedName;
  version: string;
  files: FeedFile[];
  stagingPercentage?: number;
}

async function sha512Base64(file: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  return hash.digest('base64');
}

async function copyInto(source: string, dir: string, name: string): Promise<void> {
  const temp = path.join(dir, `.${name}.${randomUUID()}.part`);
  try {
    await fs.copyFile(source, temp);
    await fs.rename(temp, path.join(dir, name));
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${path.join(path.dirname(file), `.${path.basename(file)}`)}.${randomUUID()}.part`;
  await fs.writeFile(temp, text);
  await fs.rename(temp, file);
}

export async function readFeed(updatesDir: string, feed: FeedName): Promise<UpdateFeed | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(updatesDir, feed), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseFeed(text, feed);
}

export async function publishUpdate(updatesDir: string, sources: readonly string[], options: PublishOptions = {}): Promise<PublishedFeed[]> {
  if (sources.length === 0) throw new PublishError('name at least one installer (.exe, .AppImage, .deb, .dmg, .zip) to publish');
  if (options.stagingPercentage !== undefined && !(Number.isInteger(options.stagingPercentage) && options.stagingPercentage >= 1 && options.stagingPercentage <= 100)) {
    throw new PublishError('the staging percentage must be a whole number from 1 to 100');
  }
  const plan: Array<{ source: string; name: string; feed: FeedName | null }> = [];
  const versions = new Set<string>();
  for (const source of sources) {
    const name = path.basename(source);
    if (!updateFileNameSchema.safeParse(name).success) throw new PublishError(`${name}: an installer name must be letters, digits, . _ + - (rename the file)`);
    const stat = await fs.stat(source).catch(() => null);
    if (!stat?.isFile()) throw new PublishError(`${source}: no such file`);
    const feed = feedNameFor(name);
    if (feed === null && !name.toLowerCase().endsWith('.blockmap')) throw new PublishError(`${name}: not an installer this command knows (.exe, .AppImage, .deb, .rpm, .dmg, .zip, or a .blockmap)`);
    if (feed !== null) {
      const version = options.version ?? versionInFileName(name);
      if (version === null) throw new PublishError(`${name}: no version in the name (Guanmo-0.2.0-…); give --version`);
      versions.add(version);
    }
    plan.push({ source, name, feed });
  }
  if (versions.size > 1) throw new PublishError(`the files are of different versions (${[...versions].join(', ')}): publish one version at a time`);
  const version = [...versions][0];
  if (version === undefined) throw new PublishError('no installer among the files (only .blockmap files)');
  if (!appVersionSchema.safeParse(version).success) throw new PublishError(`${version}: a version such as 0.2.0`);

  await fs.mkdir(updatesDir, { recursive: true });
  // 1. every file complete in the folder before any feed names it
  const byFeed = new Map<FeedName, FeedFile[]>();
  for (const item of plan) {
    await copyInto(item.source, updatesDir, item.name);
    if (item.feed === null) continue;
    const target = path.join(updatesDir, item.name);
    const [sha512, stat] = await Promise.all([sha512Base64(target), fs.stat(target)]);
    const blockMap = await fs.stat(path.join(updatesDir, `${item.name}.blockmap`)).catch(() => null);
    const entry: FeedFile = { url: item.name, sha512, size: stat.size, ...(blockMap?.isFile() ? { blockMapSize: blockMap.size } : {}) };
    byFeed.set(item.feed, [...(byFeed.get(item.feed) ?? []), entry]);
  }
  // 2. the feeds, merged with what is there for the same version
  const published: PublishedFeed[] = [];
  const releaseDate = (options.now?.() ?? new Date()).toISOString();
  for (const [feedName, entries] of byFeed) {
    const existing = await readFeed(updatesDir, feedName);
    const kept = existing && existing.version === version ? existing.files.filter((f) => !entries.some((e) => e.url === f.url)) : [];
    // the installer laptops run (AppImage / exe / zip) first: the legacy `path` field points at it
    const files = [...kept, ...entries].sort((a, b) => rank(a.url) - rank(b.url));
    const first = files[0]!;
    const feed: UpdateFeed = {
      version,
      files,
      path: first.url,
      sha512: first.sha512,
      releaseDate,
      ...(options.stagingPercentage !== undefined ? { stagingPercentage: options.stagingPercentage } : {}),
      ...(options.releaseNotes !== undefined ? { releaseNotes: options.releaseNotes } : existing?.version === version && existing.releaseNotes !== undefined ? { releaseNotes: existing.releaseNotes } : {}),
    };
    await writeAtomically(path.join(updatesDir, feedName), formatFeed(feed));
    published.push({ feed: feedName, version, files, ...(feed.stagingPercentage !== undefined ? { stagingPercentage: feed.stagingPercentage } : {}) });
  }
  return published;
}

function rank(url: string): number {
  const lower = url.toLowerCase();
  if (lower.endsWith('.appimage') || lower.endsWith('.exe') || lower.endsWith('.zip')) return 0;
  return 1;
}
