import type { fleetZhCN } from './fleet.zh-CN';

/** The version gate and the desktop self-update, in English (fallback of fleet.zh-CN.ts). */
export const fleetEn: Record<keyof typeof fleetZhCN, string> = {
  'sync.short.updateRequired': 'Update needed',
  'sync.short.serverOutdated': 'Server out of date',
  'sync.error.updateRequired': 'Update to {version} to sync again. Everything on this computer is kept and syncs after the update.',
  'sync.error.updateRequiredNoVersion': 'Update to the latest version to sync again. Everything on this computer is kept and syncs after the update.',
  'sync.error.serverOutdated': 'The server is older than this app and cannot sync with it. Everything on this computer is kept; ask the administrator to update the server.',
  'update.gate.browserHint': 'To update: reload this page (F5, or the browser’s reload button) to load the new version from the server. Nothing on this computer is lost.',
  'update.gate.reload': 'Reload page',
  'update.gate.desktopHint': 'The app downloads the new version from your organisation’s server; when it is ready, click “Restart and install”.',
  'update.check': 'Check for updates',
  'update.checking': 'Checking for updates…',
  'update.downloading': 'Downloading version {version} ({percent}%)…',
  'update.upToDate': 'The server has no newer version. Ask the administrator to publish one.',
  'update.failed': 'The update cannot be downloaded right now; it is retried later (what was downloaded is kept).',
  'update.ready': 'Version {version} is downloaded and verified.',
  'update.install': 'Restart and install',
  'update.waitForWork': 'Changes are waiting to sync or a score sheet is open: restarting now would interrupt work. Install after syncing and closing the score sheet — or it installs when you quit the app.',
  'update.installLater': 'Later',
  'update.installOnQuit': 'It will be installed when you quit the app.',
};
