/**
 * The IPC channel names, kept apart from the zod contract so that the preload bundle can name
 * channels without pulling zod in (the preload is sandboxed and should stay tiny).
 *
 * What must stay true:
 * - Every name is `domain:verb` (lower-case words, verbs may be hyphenated).
 * - This list and the keys of `ipcContract` (contract.ts) are the same set; the contract's
 *   type enforces it and contract.test.ts checks it at run time.
 */
export const IPC_CHANNELS = [
  'app:get-info',
  'dialog:save-file',
  'print:to-pdf',
  'shell:open-external',
  'settings:get-server',
  'settings:set-server',
  'session:check-keychain',
  'session:load',
  'session:save',
  'session:clear',
  // the desktop app's self-update (update-contract.ts)
  'update:get-status',
  'update:check',
  'update:install',
  'update:report-work',
] as const;

export type IpcChannel = (typeof IPC_CHANNELS)[number];

export const IPC_CHANNEL_PATTERN = /^[a-z]+:[a-z]+(?:-[a-z]+)*$/;

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && (IPC_CHANNELS as readonly string[]).includes(value);
}
