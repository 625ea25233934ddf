/**
 * Which electron-updater feed file an installer belongs in, and its version, from its name
 * (electron-builder.yml artifactName `Guanmo-${version}-${os}-${arch}.${ext}`). Shared by the
 * server's `updates publish` (server/src/updates/) and the packaging test, which checks that every
 * artefact `npm run dist` names lands in the feed its platform reads.
 */
export type FeedName = 'latest.yml' | 'latest-linux.yml' | 'latest-linux-arm64.yml' | 'latest-mac.yml';

/**
 * The feed an installer belongs in, by what electron-updater asks for on each platform: Windows
 * latest.yml (NSIS .exe), Linux latest-linux.yml (x64) or latest-linux-arm64.yml (arm64, e.g.
 * 统信 UOS / 麒麟 on Kunpeng or Phytium), macOS latest-mac.yml (the .zip updates, the .dmg
 * installs). null: not an installer (e.g. a .blockmap, copied beside its installer).
 */
export function feedNameFor(fileName: string): FeedName | null {
  const lower = fileName.toLowerCase();
  const isArm64 = /(^|[-_.])(arm64|aarch64)([-_.]|$)/.test(lower);
  if (lower.endsWith('.exe')) return 'latest.yml';
  if (lower.endsWith('.appimage') || lower.endsWith('.deb') || lower.endsWith('.rpm')) return isArm64 ? 'latest-linux-arm64.yml' : 'latest-linux.yml';
  if (lower.endsWith('.dmg') || lower.endsWith('.zip')) return 'latest-mac.yml';
  return null;
}

/** The version in an artefact name `Guanmo-0.2.0-linux-x86_64.AppImage` (electron-builder.yml artifactName). */
export function versionInFileName(fileName: string): string | null {
  const match = /-(\d{1,4}\.\d{1,4}\.\d{1,4})-/.exec(fileName);
  return match ? match[1]! : null;
}

