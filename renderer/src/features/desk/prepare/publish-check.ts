import type { Scorer, Stop, Tour } from '@shared/domain/schemas';
import type { Translate } from '../../../i18n/catalogs';

/**
 * What keeps a draft tour from being published, in the secretariat's words (empty = ready).
 * Dates stay as the itinerary table writes them (2021-12-08), so they can be found in it.
 */
export function publishProblems(tour: Tour, stops: readonly Pick<Stop, 'day' | 'name'>[], scorers: readonly Pick<Scorer, 'role'>[], t: Translate): string[] {
  const problems: string[] = [];
  if (stops.length === 0) problems.push(t('desk.publish.problem.noStops'));
  const outside = stops.filter((s) => s.day < tour.startDate || s.day > tour.endDate);
  if (outside.length > 0) {
    problems.push(
      t('desk.publish.problem.stopsOutsideDates', {
        count: outside.length,
        start: tour.startDate,
        end: tour.endDate,
        stops: outside
          .slice(0, 5)
          .map((s) => t('desk.publish.problem.stopWithDay', { name: s.name, day: s.day }))
          .join(t('common.listSeparator')),
      }),
    );
  }
  // a rank vote ranks units on ballots: it has no score sheets, so it needs no template
  const needsTemplate = tour.kind === 'scored' && tour.rules.method !== 'rankVote';
  if (needsTemplate && (tour.template === null || tour.template.criteria.length === 0)) problems.push(t('desk.publish.problem.noTemplate'));
  if (scorers.length === 0) problems.push(t('desk.publish.problem.noPeople'));
  else if (tour.kind === 'scored' && !scorers.some((s) => s.role === 'scorer')) problems.push(t('desk.publish.problem.noScorer'));
  return problems;
}
