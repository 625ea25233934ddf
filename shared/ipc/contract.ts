/**
 * The typed IPC contract between the renderer (through the preload bridge) and the main
 * process: for every channel, the zod schema of its one argument and of its result.
 *
 * What must stay true:
 * - Every channel takes exactly one argument, an object; main parses it with `args` before
 *   anything else runs (the renderer is never trusted, see electron/ipc/ipc-handler.ts).
 * - Schemas are strict objects: unknown keys are an error, not silently dropped, so a typo on
 *   the renderer side fails loudly instead of falling back to a default.
 * - Results are plain data (structured-clone safe): no class instances, no functions.
 * - Pure TypeScript: no Node, DOM or Electron imports (shared/ has neither lib).
 */
import { z } from 'zod';
import type { IpcChannel } from './channels';
import { updateContract } from './update-contract';

/** Longest URL we accept anywhere over IPC (browsers cut off around here too). */
export const MAX_URL_LENGTH = 2048;
/** Upper bound for a file written through `dialog:save-file` (bytes) */
export const MAX_SAVE_BYTES = 512 * 1024 * 1024;
/** Upper bound for text written through `dialog:save-file` (UTF-16 code units) */
export const MAX_SAVE_TEXT_LENGTH = 64 * 1024 * 1024;

// Control characters (C0, DEL, C1) never belong in a file name or a dialog title.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

const noArgsSchema = z.object({}).strict();

/** A file name the user will see in the save dialog; main sanitises it further for the OS. */
export const suggestedFileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !CONTROL_CHARS.test(s), 'control characters are not allowed in a file name');

const dialogTitleSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !CONTROL_CHARS.test(s), 'control characters are not allowed in a title');

export const fileFilterSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** without the dot, e.g. "xlsx" */
    extensions: z
      .array(z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'an extension is 1–10 letters or digits, without the dot'))
      .min(1)
      .max(10),
  })
  .strict();
export type FileFilter = z.infer<typeof fileFilterSchema>;

/** http(s) URL; main additionally refuses credentials and other oddities (external-url.ts). */
export const httpUrlSchema = z.url({ protocol: /^https?$/ }).max(MAX_URL_LENGTH);

// ---------------------------------------------------------------------------------------------
// app:get-info

export const serverUrlSourceSchema = z.enum(['env', 'settings', 'default']);
export type ServerUrlSource = z.infer<typeof serverUrlSourceSchema>;

export const appInfoSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    platform: z.string(),
    arch: z.string(),
    versions: z.object({ electron: z.string(), chrome: z.string(), node: z.string() }).strict(),
    isPackaged: z.boolean(),
    /** the OS UI locale as Chromium reports it, e.g. "zh-CN" */
    locale: z.string(),
    /** the sync server the desktop app talks to (also the only origin connect-src allows) */
    serverUrl: z.string(),
    serverUrlSource: serverUrlSourceSchema,
  })
  .strict();
export type AppInfo = z.infer<typeof appInfoSchema>;

// ---------------------------------------------------------------------------------------------
// dialog:save-file and print:to-pdf

export const saveFileArgsSchema = z
  .object({
    suggestedName: suggestedFileNameSchema,
    title: dialogTitleSchema.optional(),
    filters: z.array(fileFilterSchema).max(10).default([]),
    /** text is written as UTF-8 exactly as given (include a BOM yourself for Excel CSV) */
    content: z.union([
      z.string().max(MAX_SAVE_TEXT_LENGTH),
      z
        .instanceof(Uint8Array)
        .refine((b) => b.byteLength <= MAX_SAVE_BYTES, `at most ${MAX_SAVE_BYTES} bytes`),
    ]),
  })
  .strict();
export type SaveFileArgs = z.input<typeof saveFileArgsSchema>;

/** `saved: false` means the user cancelled the dialog; that is not an error. */
export const saveFileResultSchema = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), path: z.string().min(1), bytes: z.number().int().min(0) }).strict(),
  z.object({ saved: z.literal(false) }).strict(),
]);
export type SaveFileResult = z.infer<typeof saveFileResultSchema>;

export const pdfPageSizeSchema = z.enum(['A3', 'A4', 'A5', 'Letter', 'Legal', 'Tabloid']);
export type PdfPageSize = z.infer<typeof pdfPageSizeSchema>;

export const printToPdfArgsSchema = z
  .object({
    suggestedName: suggestedFileNameSchema,
    title: dialogTitleSchema.optional(),
    pageSize: pdfPageSizeSchema.default('A4'),
    landscape: z.boolean().default(false),
    /** print CSS backgrounds (table shading in the bulletin) */
    printBackground: z.boolean().default(true),
    /** `default` ≈ 1 cm, `narrow` ≈ 0.5 cm, `none`; the bulletin's print CSS can refine it */
    margins: z.enum(['default', 'narrow', 'none']).default('default'),
    /** e.g. "1-3,5"; omitted = all pages */
    pageRanges: z
      .string()
      .regex(/^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/, 'page ranges look like "1-3,5"')
      .max(200)
      .optional(),
  })
  .strict();
export type PrintToPdfArgs = z.input<typeof printToPdfArgsSchema>;

// ---------------------------------------------------------------------------------------------
// shell:open-external

export const openExternalArgsSchema = z.object({ url: httpUrlSchema }).strict();
export type OpenExternalArgs = z.input<typeof openExternalArgsSchema>;

export const openExternalResultSchema = z.object({ opened: z.literal(true) }).strict();
export type OpenExternalResult = z.infer<typeof openExternalResultSchema>;

// ---------------------------------------------------------------------------------------------
// settings:get-server and settings:set-server

export const serverSettingsSchema = z
  .object({
    /** origin of the sync server in effect, e.g. "http://127.0.0.1:8787" */
    serverUrl: z.string(),
    source: serverUrlSourceSchema,
    /** what the user saved, even when GUANMO_SERVER_URL overrides it; null = none saved */
    savedServerUrl: z.string().nullable(),
  })
  .strict();
export type ServerSettings = z.infer<typeof serverSettingsSchema>;

export const setServerArgsSchema = z
  .object({
    /** null forgets the saved URL (back to the default) */
    serverUrl: httpUrlSchema.nullable(),
    /**
     * The user has been warned that plain http to a public address sends the password and the
     * data readable by anyone on the way, and wants it anyway (shared/sync/server-address.ts).
     * Without it such a URL is refused with 'needs-confirmation'.
     */
    allowPlainHttp: z.boolean().default(false),
  })
  .strict();
export type SetServerArgs = z.input<typeof setServerArgsSchema>;

export const setServerResultSchema = serverSettingsSchema
  .extend({
    /**
     * The Content-Security-Policy of the loaded page still names the old server; the new one is
     * reachable after the renderer reloads (`location.reload()`).
     */
    needsReload: z.boolean(),
  })
  .strict();
export type SetServerResult = z.infer<typeof setServerResultSchema>;

// ---------------------------------------------------------------------------------------------
// session:check-keychain, session:load, session:save, session:clear
//
// The sync session's secret (server URL + bearer token) kept by main, encrypted with the OS
// keychain (Electron safeStorage) in a file in userData. Only when the keychain really
// protects it: without one (Linux with no keyring, where Electron would fall back to a
// hard-coded key) nothing is written and the renderer keeps the session in IndexedDB as before.

/** Visible ASCII only: a bearer token travels in an HTTP header. */
export const sessionTokenSchema = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[\x21-\x7e]+$/, 'a session token is visible ASCII characters');

export const keychainStatusSchema = z
  .object({
    isAvailable: z.boolean(),
    /** what protects the secret: the Linux backend name (gnome_libsecret, kwallet5, basic_text…) or the OS's */
    backend: z.string().max(100),
  })
  .strict();
export type KeychainStatus = z.infer<typeof keychainStatusSchema>;

export const storedSessionSchema = z.object({ serverUrl: httpUrlSchema, token: sessionTokenSchema }).strict();
export type StoredSession = z.infer<typeof storedSessionSchema>;

export const saveSessionArgsSchema = storedSessionSchema;
export type SaveSessionArgs = z.input<typeof saveSessionArgsSchema>;

export const saveSessionResultSchema = z.discriminatedUnion('stored', [
  z.object({ stored: z.literal(true) }).strict(),
  /** no keychain: nothing was written; keep the session the way the browser build does */
  z.object({ stored: z.literal(false), reason: z.literal('unavailable') }).strict(),
]);
export type SaveSessionResult = z.infer<typeof saveSessionResultSchema>;

export const loadSessionResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('stored'), serverUrl: z.string(), token: z.string() }).strict(),
  z.object({ status: z.literal('none') }).strict(),
  z.object({ status: z.literal('unavailable') }).strict(),
  /** a file is there but the keychain cannot open it (another OS user, a reset keyring) */
  z.object({ status: z.literal('unreadable') }).strict(),
]);
export type LoadSessionResult = z.infer<typeof loadSessionResultSchema>;

export const clearSessionResultSchema = z.object({ cleared: z.literal(true) }).strict();

// ---------------------------------------------------------------------------------------------

export interface IpcChannelSpec {
  readonly args: z.ZodType;
  readonly result: z.ZodType;
}

export const ipcContract = {
  'app:get-info': { args: noArgsSchema, result: appInfoSchema },
  'dialog:save-file': { args: saveFileArgsSchema, result: saveFileResultSchema },
  'print:to-pdf': { args: printToPdfArgsSchema, result: saveFileResultSchema },
  'shell:open-external': { args: openExternalArgsSchema, result: openExternalResultSchema },
  'settings:get-server': { args: noArgsSchema, result: serverSettingsSchema },
  'settings:set-server': { args: setServerArgsSchema, result: setServerResultSchema },
  'session:check-keychain': { args: noArgsSchema, result: keychainStatusSchema },
  'session:load': { args: noArgsSchema, result: loadSessionResultSchema },
  'session:save': { args: saveSessionArgsSchema, result: saveSessionResultSchema },
  'session:clear': { args: noArgsSchema, result: clearSessionResultSchema },
  ...updateContract,
} as const satisfies { readonly [C in IpcChannel]: IpcChannelSpec };

type Contract = typeof ipcContract;
/** What the caller passes (defaults may be omitted). */
export type IpcArgs<C extends IpcChannel> = z.input<Contract[C]['args']>;
/** What the handler receives after parsing (defaults filled in). */
export type IpcParsedArgs<C extends IpcChannel> = z.output<Contract[C]['args']>;
export type IpcResult<C extends IpcChannel> = z.output<Contract[C]['result']>;
