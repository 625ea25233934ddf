/**
 * Which local records are demo data: the tours of the bundled demo manifest (their ids are fixed,
 * the same on the server and on every laptop) and the demo people (fixed `demo-user-…` ids).
 * Only the manifest's tour list is read here (a 3 KB JSON in the main bundle); the demo builder
 * itself stays in its lazily loaded chunk (demo-source.ts).
 */
import { isDemoUserId } from '@shared/demo/demo-ids';
import manifest from '../../../assets/demo/demo-tours.json';

export { isDemoUserId };

export const demoTourIds: readonly string[] = manifest.tours.map((tour) => tour.id);
const demoTourIdSet: ReadonlySet<string> = new Set(demoTourIds);

/** Whether a tour is one of the bundled demo tours (shown with a 演示 mark in lists). */
export function isDemoTourId(tourId: string): boolean {
  return demoTourIdSet.has(tourId);
}
