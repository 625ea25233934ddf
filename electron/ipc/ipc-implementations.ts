/**
 * What each IPC channel does, written against small injected capabilities (dialogs, files,
 * printing, the browser) so the orchestration — order of steps, file naming, cancel and error
 * paths — runs in tests without Electron. electron-capabilities.ts provides the real ones.
 */
import { join, dirname } from 'node:path';
import { Buffer } from 'node:buffer';
import type {
  AppInfo,
  FileFilter,
  IpcParsedArgs,
  SaveFileResult,
  ServerSettings,
  SetServerResult,
} from '@shared/ipc/contract';
import { hasExtension, sanitizeFileName, withExtension } from '../files/file-name';
import type { SessionKeychain } from '../session/session-keychain';
import { toSafeExternalUrl } from '../security/external-url';
import type { DesktopUpdater } from '../updater/desktop-updater';
import { IpcFailure, type IpcImplementations } from './ipc-handler';

export interface SaveDialogRequest {
  readonly title: string;
  readonly defaultPath: string;
  readonly filters: readonly FileFilter[];
}

export interface PdfOptions {
  readonly pageSize: IpcParsedArgs<'print:to-pdf'>['pageSize'];
  readonly landscape: boolean;
  readonly printBackground: boolean;
  /** inches, as Electron's printToPDF wants them */
  readonly margins: { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };
  readonly pageRanges?: string;
  readonly preferCSSPageSize: boolean;
  readonly generateTaggedPDF: boolean;
}

export interface IpcCapabilities<E> {
  getAppInfo(): AppInfo;
  /** the chosen path, or null when the user cancelled */
  showSaveDialog(event: E, request: SaveDialogRequest): Promise<string | null>;
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  fileExists(path: string): Promise<boolean>;
  /** PDF of the page that sent `event` */
  printToPdf(event: E, options: PdfOptions): Promise<Uint8Array>;
  openExternal(url: string): Promise<void>;
  getServerSettings(): ServerSettings;
  setServerUrl(serverUrl: string | null, options: { allowPlainHttp: boolean }): Promise<SetServerResult>;
  /** where the first save dialog opens (the user's Documents folder) */
  readonly defaultSaveDir: string;
  /** the sync session in the OS keychain (session/session-keychain.ts) */
  readonly sessionKeychain: SessionKeychain;
  /** the self-updater (updater/desktop-updater.ts); null where the app cannot update itself (not packaged) */
  readonly updater: UpdaterPort | null;
}

/** What the update channels need of updater/desktop-updater.ts. */
export type UpdaterPort = Pick<DesktopUpdater, 'getStatus' | 'check' | 'install' | 'reportWork'>;

const PDF_FILTER: FileFilter = { name: 'PDF', extensions: ['pdf'] };
const CM = 1 / 2.54;
const PDF_MARGINS = {
  default: 1 * CM,
  narrow: 0.5 * CM,
  none: 0,
} as const;

export function toPdfOptions(args: IpcParsedArgs<'print:to-pdf'>): PdfOptions {
  const margin = PDF_MARGINS[args.margins];
  return {
    pageSize: args.pageSize,
    landscape: args.landscape,
    printBackground: args.printBackground,
    margins: { top: margin, bottom: margin, left: margin, right: margin },
    ...(args.pageRanges !== undefined ? { pageRanges: args.pageRanges.replace(/\s+/g, '') } : {}),
    // The caller chose the page size; a stray @page rule must not silently override it.
    preferCSSPageSize: false,
    generateTaggedPDF: true,
  };
}

function describeIoError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `no permission to write the file (${code})`;
    case 'EBUSY':
      return 'the file is open in another program (EBUSY)';
    case 'ENOSPC':
      return 'the disk is full (ENOSPC)';
    case 'EROFS':
      return 'the disk is read-only (EROFS)';
    default:
      return `could not write the file (${code})`;
  }
}

export function createIpcImplementations<E>(caps: IpcCapabilities<E>): IpcImplementations<E> {
  // The folder of the last successful save, so the next dialog opens there (this run only).
  let lastSaveDir: string | null = null;

  /** dialog → (extension fix-up) → write; null when cancelled */
  async function saveThroughDialog(
    event: E,
    request: { suggestedName: string; title: string; filters: readonly FileFilter[] },
    produce: () => Promise<string | Uint8Array> | string | Uint8Array,
  ): Promise<SaveFileResult> {
    const allowed = request.filters.flatMap((f) => f.extensions);
    let name = sanitizeFileName(request.suggestedName);
    if (allowed.length > 0) name = withExtension(name, allowed[0]!, allowed);

    const content = await produce();
    const chosen = await caps.showSaveDialog(event, {
      title: request.title,
      defaultPath: join(lastSaveDir ?? caps.defaultSaveDir, name),
      filters: request.filters,
    });
    if (chosen === null) return { saved: false };

    // Linux file dialogs do not add the extension. Add it, unless that would replace a file
    // the user was never asked about.
    let target = chosen;
    if (allowed.length > 0 && !hasExtension(chosen, allowed)) {
      const withExt = `${chosen}.${allowed[0]!}`;
      if (!(await caps.fileExists(withExt))) target = withExt;
    }
    try {
      await caps.writeFile(target, content);
    } catch (error) {
      throw new IpcFailure('io', describeIoError(error));
    }
    lastSaveDir = dirname(target);
    const bytes = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
    return { saved: true, path: target, bytes };
  }

  return {
    'app:get-info': () => caps.getAppInfo(),

    'dialog:save-file': (args, event) =>
      saveThroughDialog(
        event,
        { suggestedName: args.suggestedName, title: args.title ?? '保存文件', filters: args.filters },
        () => args.content,
      ),

    // Print first, then ask where to save: the PDF shows the page as it was when the user
    // pressed the button, whatever happens on screen while the dialog is open.
    'print:to-pdf': (args, event) =>
      saveThroughDialog(
        event,
        { suggestedName: args.suggestedName, title: args.title ?? '导出 PDF', filters: [PDF_FILTER] },
        () => caps.printToPdf(event, toPdfOptions(args)),
      ),

    'shell:open-external': async (args) => {
      const url = toSafeExternalUrl(args.url);
      if (url === null) throw new IpcFailure('not-allowed', 'only plain http(s) links without credentials can be opened');
      await caps.openExternal(url);
      return { opened: true as const };
    },

    'settings:get-server': () => caps.getServerSettings(),

    'settings:set-server': (args) => caps.setServerUrl(args.serverUrl, { allowPlainHttp: args.allowPlainHttp }),

    'session:check-keychain': () => caps.sessionKeychain.status(),

    'session:load': () => caps.sessionKeychain.load(),

    'session:save': async (args) => {
      try {
        return await caps.sessionKeychain.save(args);
      } catch (error) {
        throw new IpcFailure('io', `the sign-in could not be kept in the keychain: ${describeIoError(error)}`);
      }
    },

    'session:clear': async () => {
      try {
        await caps.sessionKeychain.clear();
      } catch (error) {
        throw new IpcFailure('io', `the sign-in could not be removed from the keychain: ${describeIoError(error)}`);
      }
      return { cleared: true as const };
    },

    // the self-update: without an updater (not packaged) the status says 'unsupported'
    'update:get-status': () => caps.updater?.getStatus() ?? unsupportedUpdate(caps),
    'update:check': async () => (caps.updater ? caps.updater.check() : unsupportedUpdate(caps)),
    'update:install': () => caps.updater?.install() ?? { installing: false as const, reason: 'not-downloaded' as const },
    'update:report-work': (args) => caps.updater?.reportWork(args) ?? unsupportedUpdate(caps),
  };
}

function unsupportedUpdate<E>(caps: IpcCapabilities<E>) {
  return { state: 'unsupported' as const, currentVersion: caps.getAppInfo().version, version: null, percent: null, checkedAt: null, error: null, isWorkPending: false };
}
