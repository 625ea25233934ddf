/// <reference types="vite/client" />

/** The app version from package.json, set by renderer/vite.config.ts (`define`). */
declare const __APP_VERSION__: string;
