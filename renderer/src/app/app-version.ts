/** Version from package.json, injected at build time; 'dev' where no bundler defined it (unit tests). */
export const appVersion: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
