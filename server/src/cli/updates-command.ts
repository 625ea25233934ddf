/**
 * `guanmo-server updates …`: the desktop app's updates, served by this server at /updates/
 * (updates/update-routes.ts) from the updates folder (GUANMO_UPDATES_DIR, default
 * <data folder>/updates). Works on the folder only: no database, safe while servers run.
 *
 *   guanmo-server updates publish FILE… [--version X.Y.Z] [--staging-percentage N] [--notes TEXT]
 *   guanmo-server updates list [--json]
 *
 * Exit codes: 0 done; 1 it could not be carried out; 2 wrong command line.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { PublishError, publishUpdate, readFeed } from '../updates/publish-update.js';
import { FeedFormatError, type FeedName } from '../updates/update-feed.js';
import type { CliIo } from './user-command.js';

export const updatesUsage = `Usage:
  guanmo-server updates publish FILE… [--version X.Y.Z] [--staging-percentage N] [--notes TEXT]
  guanmo-server updates list [--json]

publish copies installers built by \`npm run dist\` (Guanmo-X.Y.Z-win-x64.exe, …-linux-x86_64.AppImage,
…-linux-amd64.deb, …-linux-arm64.AppImage, …-mac-*.zip/.dmg, and their .blockmap files) into the
updates folder and writes the feeds the desktop apps check (latest.yml, latest-linux.yml,
latest-linux-arm64.yml, latest-mac.yml) with each file's sha512 and size. The same version again
merges into the feed; a new version replaces it. --staging-percentage N offers the update to N % of
the laptops first (publish the same files again with a higher N, or without it, to widen).
Updates folder: GUANMO_UPDATES_DIR, default <GUANMO_DATA_DIR>/updates.
`;

const feedNames: readonly FeedName[] = ['latest.yml', 'latest-linux.yml', 'latest-linux-arm64.yml', 'latest-mac.yml'];

export async function runUpdatesCommand(argv: readonly string[], io: Pick<CliIo, 'out' | 'err' | 'env' | 'cwd'>): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'publish' && command !== 'list') {
    io.err(`guanmo-server updates: ${command === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(command)}`}\n\n${updatesUsage}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { version: { type: 'string' }, 'staging-percentage': { type: 'string' }, notes: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: command === 'publish',
      strict: true,
    });
  } catch (error) {
    io.err(`guanmo-server updates: ${error instanceof Error ? error.message : String(error)}\n\n${updatesUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const config = loadConfig(io.env, io.cwd);
  try {
    if (command === 'list') {
      const feeds = [];
      for (const name of feedNames) {
        const feed = await readFeed(config.updatesDir, name);
        if (feed) feeds.push({ feed: name, ...feed });
      }
      if (values.json) io.out(`${JSON.stringify(feeds, null, 2)}\n`);
      else if (feeds.length === 0) io.out(`no updates published in ${config.updatesDir}\n`);
      else for (const f of feeds) io.out(`${f.feed}: ${f.version}${f.stagingPercentage !== undefined ? ` (to ${f.stagingPercentage} % of laptops)` : ''} — ${f.files.map((x) => x.url).join(', ')}\n`);
      return 0;
    }
    let stagingPercentage: number | undefined;
    if (values['staging-percentage'] !== undefined) {
      const text = values['staging-percentage'].trim().replace(/%$/, '');
      stagingPercentage = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
    }
    const published = await publishUpdate(
      config.updatesDir,
      positionals.map((p) => (p.startsWith('/') ? p : `${io.cwd}/${p}`)),
      { ...(values.version !== undefined ? { version: values.version } : {}), ...(stagingPercentage !== undefined ? { stagingPercentage } : {}), ...(values.notes !== undefined ? { releaseNotes: values.notes } : {}) },
    );
    if (values.json) io.out(`${JSON.stringify(published, null, 2)}\n`);
    else {
      for (const p of published) {
        io.out(`${p.feed}: version ${p.version}${p.stagingPercentage !== undefined ? `, offered to ${p.stagingPercentage} % of laptops` : ''}\n`);
        for (const f of p.files) io.out(`  ${f.url}  ${f.size} bytes  sha512 ${f.sha512.slice(0, 16)}…\n`);
      }
      io.out(`published in ${config.updatesDir}; laptops find it at <server>/updates/ on their next check\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof PublishError || error instanceof FeedFormatError) {
      io.err(`guanmo-server updates: ${error.message}\n`);
      return error instanceof PublishError && /^name at least|different versions|not an installer|no version|must be|no installer/.test(error.message) ? 2 : 1;
    }
    io.err(`guanmo-server updates: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
