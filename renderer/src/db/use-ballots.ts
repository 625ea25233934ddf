import { useLiveQuery } from 'dexie-react-hooks';
import type { RankBallot } from '@shared/domain/rank-vote';
import { getBallotContext, listMyBallots, listTourBallots, type BallotContext, type BallotListSummary, type BallotTarget } from './ballots-repo';
import { useDb } from './db-context';

// Live reads of rank-vote ballots: each re-renders when the tables it read change (this tab,
// another tab, or sync). `undefined` always means "still loading".

/** One list's ballot page; null = no such tour. */
export function useBallotContext({ tourId, group, userId }: BallotTarget): BallotContext | null | undefined {
  const db = useDb();
  return useLiveQuery(() => getBallotContext(db, { tourId, group, userId }), [db, tourId, group, userId]);
}

/** The user's ballot lists on a tour with their state; null = the user does not vote on it. */
export function useMyBallots(tourId: string, userId: string): BallotListSummary[] | null | undefined {
  const db = useDb();
  return useLiveQuery(() => listMyBallots(db, tourId, userId), [db, tourId, userId]);
}

/** Every ballot of a tour (desk). */
export function useTourBallots(tourId: string): RankBallot[] | undefined {
  const db = useDb();
  return useLiveQuery(() => listTourBallots(db, tourId), [db, tourId]);
}
