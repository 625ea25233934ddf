/**
 * IPC of the desktop app's self-update (electron/updater/): the renderer asks what the updater
 * is doing, asks for a check, asks to install (only the user's click does), and tells main
 * whether work would be lost by a restart now (a score sheet open, changes not yet synced).
 *
 * What must stay true: main never restarts the app while the last report says work is pending;
 * the update is then installed when the app quits instead.
 */
import { z } from 'zod';

const noArgsSchema = z.object({}).strict();

export const updateStateSchema = z.enum([
  /** not packaged, or a platform/format that cannot update itself (e.g. a .deb without a package manager we may call) */
  'unsupported',
  'idle',
  'checking',
  /** no newer version on the server */
  'up-to-date',
  'downloading',
  /** downloaded and verified (sha512): installs on the user's click or when the app quits */
  'downloaded',
  'error',
]);
export type UpdateState = z.infer<typeof updateStateSchema>;

export const updateStatusSchema = z
  .object({
    state: updateStateSchema,
    /** this app's version */
    currentVersion: z.string().max(50),
    /** the newer version found on the server, when there is one */
    version: z.string().max(50).nullable(),
    /** 0…100 while downloading */
    percent: z.number().min(0).max(100).nullable(),
    /** ISO instant of the last finished check */
    checkedAt: z.string().max(40).nullable(),
    /** what went wrong last (English, technical; the renderer words it) */
    error: z.string().max(500).nullable(),
    /** a restart now would interrupt work (the renderer's last report): the install waits for quit */
    isWorkPending: z.boolean(),
  })
  .strict();
export type UpdateStatus = z.infer<typeof updateStatusSchema>;

export const reportWorkArgsSchema = z
  .object({
    /** a score sheet (or ballot) is open for editing */
    hasOpenSheet: z.boolean(),
    /** changes and photo bytes waiting to sync */
    pendingChanges: z.number().int().min(0).max(100_000_000),
  })
  .strict();
export type ReportWorkArgs = z.input<typeof reportWorkArgsSchema>;

export const installUpdateResultSchema = z.discriminatedUnion('installing', [
  z.object({ installing: z.literal(true) }).strict(),
  z.object({ installing: z.literal(false), reason: z.enum(['work-pending', 'not-downloaded']) }).strict(),
]);
export type InstallUpdateResult = z.infer<typeof installUpdateResultSchema>;

export const updateContract = {
  'update:get-status': { args: noArgsSchema, result: updateStatusSchema },
  'update:check': { args: noArgsSchema, result: updateStatusSchema },
  'update:install': { args: noArgsSchema, result: installUpdateResultSchema },
  'update:report-work': { args: reportWorkArgsSchema, result: updateStatusSchema },
} as const;
