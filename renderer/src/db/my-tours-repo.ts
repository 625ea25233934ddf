import type { Scorer, Tour } from './entities';
import type { GuanmoDb } from './guanmo-db';

/** A tour the user is assigned to, with their assignment. */
export interface AssignedTour {
  tour: Tour;
  scorer: Scorer;
}

/** The tours a user is assigned to (as scorer or observer), most recent first, then by name. */
export function listAssignedTours(db: GuanmoDb, userId: string): Promise<AssignedTour[]> {
  return db.transaction('r', [db.scorers, db.tours], async () => {
    const assignments = await db.scorers.where('userId').equals(userId).toArray();
    const tours = await db.tours.bulkGet(assignments.map((a) => a.tourId));
    const assigned: AssignedTour[] = [];
    assignments.forEach((scorer, i) => {
      const tour = tours[i];
      if (tour) assigned.push({ tour, scorer });
    });
    return assigned.sort((a, b) => b.tour.startDate.localeCompare(a.tour.startDate) || a.tour.name.localeCompare(b.tour.name, 'zh-CN'));
  });
}
