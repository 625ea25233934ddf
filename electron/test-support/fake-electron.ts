/**
 * A recording stand-in for the `electron` module, just wide enough for main.ts: the Electron
 * runtime cannot be downloaded on this machine, so main.test.ts loads the real main bundle
 * against this and checks what it asked Electron to do. Only the calls main makes exist.
 */
import { EventEmitter } from 'node:events';

type Listener = (...args: any[]) => unknown;

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  async printToPDF() {
    return Buffer.from('%PDF-1.7 fake');
  }
}

export function createFakeElectron(options: { appPath: string; userData: string; hasLock?: boolean }) {
  const calls: string[] = [];
  const appEvents = new EventEmitter();
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const ipcHandlers = new Map<string, Listener>();
  const permission: { request?: Listener; check?: Listener; device?: Listener } = {};
  const opened: string[] = [];
  const windows: FakeBrowserWindow[] = [];
  const privilegedSchemes: unknown[] = [];
  let menuTemplate: unknown[] | null = null;

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    loadedUrl: string | null = null;
    focused = 0;
    destroyed = false;
    constructor(readonly options: Record<string, any>) {
      super();
      calls.push('new BrowserWindow');
      windows.push(this);
      appEvents.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      calls.push(`loadURL ${url}`);
      this.loadedUrl = url;
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    isMaximized = () => false;
    restore() {}
    show() {}
    focus() {
      this.focused += 1;
    }
    maximize() {}
    getNormalBounds() {
      return { x: this.options.x, y: this.options.y, width: this.options.width, height: this.options.height };
    }
    static fromWebContents() {
      return null;
    }
    static getFocusedWindow() {
      return null;
    }
  }

  const display = { workArea: { x: 0, y: 0, width: 1920, height: 1080 } };

  const electron = {
    app: {
      isPackaged: false,
      setPath: (name: string, value: string) => calls.push(`setPath ${name} ${value}`),
      enableSandbox: () => calls.push('enableSandbox'),
      requestSingleInstanceLock: () => {
        calls.push('requestSingleInstanceLock');
        return options.hasLock ?? true;
      },
      quit: () => calls.push('quit'),
      exit: (code: number) => calls.push(`exit ${code}`),
      on: (event: string, listener: Listener) => {
        appEvents.on(event, listener);
        return electron.app;
      },
      whenReady: () => ready,
      getPath: (name: string) => (name === 'userData' ? options.userData : `/fake/${name}`),
      getAppPath: () => options.appPath,
      getVersion: () => '0.1.0',
      getLocale: () => 'zh-CN',
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        calls.push('registerSchemesAsPrivileged');
        privilegedSchemes.push(...schemes);
      },
    },
    session: {
      defaultSession: {
        protocol: {
          handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
            calls.push(`protocol.handle ${scheme}`);
            protocolHandlers.set(scheme, handler);
          },
        },
        setPermissionRequestHandler: (handler: Listener) => {
          permission.request = handler;
        },
        setPermissionCheckHandler: (handler: Listener) => {
          permission.check = handler;
        },
        setDevicePermissionHandler: (handler: Listener) => {
          permission.device = handler;
        },
      },
    },
    ipcMain: {
      handle: (channel: string, listener: Listener) => {
        ipcHandlers.set(channel, listener);
      },
    },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url);
      },
    },
    screen: { getAllDisplays: () => [display], getPrimaryDisplay: () => display },
    Menu: {
      buildFromTemplate: (template: unknown[]) => template,
      setApplicationMenu: (menu: unknown[]) => {
        menuTemplate = menu;
      },
    },
    dialog: {
      showSaveDialog: async () => ({ canceled: true, filePath: '' }),
      showMessageBox: async () => ({ response: 0 }),
    },
    BrowserWindow: FakeBrowserWindow,
    // a Linux laptop without a keyring: Electron's basic_text fallback, which main must not trust
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptStringAsync: async (text: string) => Buffer.from(text, 'utf8'),
      decryptStringAsync: async (bytes: Buffer) => ({ result: bytes.toString('utf8'), shouldReEncrypt: false }),
    },
  };

  return {
    electron,
    calls,
    appEvents,
    becomeReady: () => resolveReady(),
    protocolHandlers,
    ipcHandlers,
    permission,
    opened,
    windows,
    privilegedSchemes,
    menu: () => menuTemplate,
  };
}
