/**
 * The demo tours, bundled into the app (a lazily loaded chunk) so a first start works offline:
 * the manifest and every table beside it in assets/demo, as text via Vite `?raw`, handed to the
 * same pure builder the server uses, so both produce the very same records and ids.
 */
import { buildDemoTours, type DemoTour } from '@shared/demo/demo-tours';
import manifestText from '../../../assets/demo/demo-tours.json?raw';

const tables = import.meta.glob<string>('../../../assets/demo/*.csv', { query: '?raw', import: 'default', eager: true });

/** file name → content, as the manifest names the files */
export const demoFiles: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(tables).map(([modulePath, text]) => [modulePath.slice(modulePath.lastIndexOf('/') + 1), text]),
);

export async function loadDemoTours(): Promise<DemoTour[]> {
  return buildDemoTours(JSON.parse(manifestText) as unknown, demoFiles);
}
