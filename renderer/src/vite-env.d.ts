/// <reference types="vite/client" />

/** The app version from package.json, set by renderer/vite.config.ts (`define`). */
declare const __APP_VERSION__: string;
/** `guanmo-sync-protocol=N`, from vite.config.ts (sync/app-protocol.ts) */
declare const __GUANMO_SYNC_PROTOCOL_STAMP__: string;
