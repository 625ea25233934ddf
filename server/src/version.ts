import serverPackage from '../package.json' with { type: 'json' };

/** The server's version, from server/package.json (inlined into the bundle by esbuild). */
export const serverVersion: string = serverPackage.version;
