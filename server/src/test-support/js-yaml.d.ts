// js-yaml (installed with electron-updater, which reads update feeds with it) has no bundled types:
// the tests use it to read the feeds exactly as electron-updater does.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
