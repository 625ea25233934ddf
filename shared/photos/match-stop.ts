/**
 * Which stop of a tour was a photo taken at? Used when photos are imported from outside a stop
 * (a camera card after a day of visits): the app proposes a stop per photo, with the reason, and
 * the user confirms or changes it. A proposal is only ever a suggestion, so it must say how sure
 * it is and why, and must never guess where the evidence is thin.
 *
 * Evidence, strongest first:
 * 1. GPS: the nearest stop with coordinates, if close enough. Stops that are about equally near
 *    (two projects in one park) are told apart by the photo's day, then by its neighbours in time.
 * 2. Time, for photos without a usable GPS fix: the stop's day must be the photo's day; within
 *    the day, the photo's neighbours in time whose stop is known (photos matched by GPS in the
 *    same import, or already placed at a stop) say where the delegation was. A day with a single
 *    stop needs no neighbours.
 *
 * Pure and deterministic: same input, same proposals (ties end in itinerary order, then id).
 *
 * Distances are measured between WGS-84 positions on both sides: EXIF GPS is WGS-84 by the EXIF
 * standard, and stop coordinates are stored as WGS-84 whatever system the itinerary table was
 * written in (converted at import, shared/import/tour-table.ts). Never pass a stop's coordinates
 * as a GCJ-02 basemap shows them: they would be ~500 m off.
 */
import { dayOf, minutesBetween, type LocalDateTime } from './exif-time';
import { distanceM, usableLatLng } from './geo';

export interface StopForMatching {
  readonly id: string;
  /** 'YYYY-MM-DD' */
  readonly day: string;
  /** position in the day's itinerary, from 1 */
  readonly order: number;
  readonly lat: number | null;
  readonly lng: number | null;
}

export interface PhotoForMatching {
  /** the caller's handle for the photo (e.g. its index in the import) */
  readonly key: string;
  /** wall-clock time the photo was taken, where it was taken ('YYYY-MM-DDTHH:mm:ss'); null = unknown */
  readonly takenLocal: LocalDateTime | null;
  readonly lat: number | null;
  readonly lng: number | null;
}

/** A photo whose stop is known already: a neighbour in time for photos without GPS. */
export interface PlacedPhoto {
  readonly stopId: string;
  readonly takenLocal: LocalDateTime;
}

export type MatchConfidence = 'high' | 'medium' | 'low';

export type MatchReason =
  /** the nearest stop by GPS; `dayMatches` null when the photo has no time */
  | { readonly kind: 'distance'; readonly distanceM: number; readonly dayMatches: boolean | null }
  /** several stops about equally near; the photo's day or its neighbours in time chose this one */
  | { readonly kind: 'distance-tie'; readonly distanceM: number; readonly tiedStops: number; readonly decidedBy: 'day' | 'neighbours' | 'itinerary-order' }
  /** no GPS; taken between photos of this stop on the same day */
  | { readonly kind: 'between-neighbours'; readonly day: string }
  /** no GPS; taken within `minutes` of a photo of this stop */
  | { readonly kind: 'near-neighbour'; readonly day: string; readonly minutes: number }
  /** no GPS; the only stop on the photo's day */
  | { readonly kind: 'only-stop-that-day'; readonly day: string };

export type NoMatchReason =
  /** GPS says the photo was taken away from every stop */
  | { readonly kind: 'too-far'; readonly nearestStopId: string; readonly distanceM: number }
  /** no GPS; no stop on the photo's day */
  | { readonly kind: 'day-not-on-itinerary'; readonly day: string }
  /** no GPS; several stops that day and no neighbour in time to tell them apart */
  | { readonly kind: 'several-stops-that-day'; readonly day: string; readonly stops: number }
  /** neither a usable GPS fix (or no stop has coordinates) nor a time */
  | { readonly kind: 'no-evidence' };

export type StopProposal =
  | { readonly key: string; readonly stopId: string; readonly confidence: MatchConfidence; readonly reason: MatchReason }
  | { readonly key: string; readonly stopId: null; readonly confidence: null; readonly reason: NoMatchReason };

export interface MatchOptions {
  /** within this distance of a stop, a photo is proposed with high confidence */
  readonly nearM?: number;
  /** beyond this distance from every stop, GPS says "not at a stop" */
  readonly maxM?: number;
  /** stops whose distances differ by less than max(tieM, tieShare × nearest) are a tie */
  readonly tieM?: number;
  readonly tieShare?: number;
  /** a single neighbour in time counts only within this many minutes */
  readonly neighbourMinutes?: number;
  /** photos already placed at stops (their neighbours in time) */
  readonly placed?: readonly PlacedPhoto[];
}

type Thresholds = Required<Omit<MatchOptions, 'placed'>>;

export const defaultMatchOptions: Readonly<Thresholds> = {
  nearM: 500,
  maxM: 2000,
  tieM: 50,
  tieShare: 0.25,
  neighbourMinutes: 30,
};

/** Proposes a stop for every photo, in the order given. */
export function proposeStops(photos: readonly PhotoForMatching[], stops: readonly StopForMatching[], options: MatchOptions = {}): StopProposal[] {
  const o = { ...defaultMatchOptions, ...options };
  const itinerary = [...stops].sort(byItinerary);
  const stopsById = new Map(itinerary.map((s) => [s.id, s]));
  const located = itinerary.flatMap((s) => {
    const at = usableLatLng(s.lat, s.lng);
    return at ? [{ stop: s, at }] : [];
  });

  // pass 1: GPS. Its confident answers become neighbours in time for pass 2.
  const gpsProposals = photos.map((photo) => proposeByGps(photo, located, o));
  const neighbours: PlacedPhoto[] = [...(options.placed ?? []).filter((p) => stopsById.has(p.stopId))];
  photos.forEach((photo, i) => {
    const proposal = gpsProposals[i];
    if (proposal && !('needsNeighbours' in proposal) && proposal.stopId && photo.takenLocal && proposal.confidence !== 'low') {
      neighbours.push({ stopId: proposal.stopId, takenLocal: photo.takenLocal });
    }
  });
  neighbours.sort((a, b) => a.takenLocal.localeCompare(b.takenLocal));

  // pass 2: time, for the rest; ties that GPS left open are decided by neighbours too.
  return photos.map((photo, i) => {
    const byGps = gpsProposals[i];
    if (byGps && !('needsNeighbours' in byGps)) return byGps;
    if (byGps && 'needsNeighbours' in byGps) return decideTie(photo, byGps, neighbours);
    return proposeByTime(photo, itinerary, neighbours, o);
  });
}

interface PendingTie {
  readonly needsNeighbours: true;
  readonly key: string;
  readonly candidates: readonly StopForMatching[];
  readonly distanceM: number;
  readonly confidence: MatchConfidence;
}

type Resolved = Readonly<Thresholds>;

function proposeByGps(
  photo: PhotoForMatching,
  located: readonly { stop: StopForMatching; at: { lat: number; lng: number } }[],
  o: Resolved,
): StopProposal | PendingTie | null {
  const at = usableLatLng(photo.lat, photo.lng);
  if (!at || located.length === 0) return null;
  const ranked = located.map(({ stop, at: stopAt }) => ({ stop, distance: distanceM(at, stopAt) })).sort((a, b) => a.distance - b.distance || byItinerary(a.stop, b.stop));
  const nearest = ranked[0]!;
  const distance = Math.round(nearest.distance);
  if (distance > o.maxM) return { key: photo.key, stopId: null, confidence: null, reason: { kind: 'too-far', nearestStopId: nearest.stop.id, distanceM: distance } };

  // thresholds apply to the whole metres the user is shown: "500 米" is near when nearM is 500
  const confidence: MatchConfidence = distance <= o.nearM ? 'high' : 'medium';
  const margin = Math.max(o.tieM, o.tieShare * nearest.distance);
  const tied = ranked.filter((r) => r.distance - nearest.distance < margin).map((r) => r.stop);
  const day = photo.takenLocal ? dayOf(photo.takenLocal) : null;
  if (tied.length === 1) {
    const dayMatches = day === null ? null : nearest.stop.day === day;
    // GPS is right but the calendar says otherwise (camera clock wrong, or a visit on another day): less sure
    return { key: photo.key, stopId: nearest.stop.id, confidence: dayMatches === false ? lower(confidence) : confidence, reason: { kind: 'distance', distanceM: distance, dayMatches } };
  }
  const sameDay = day === null ? [] : tied.filter((s) => s.day === day);
  if (sameDay.length === 1) {
    const stop = sameDay[0]!;
    const d = Math.round(ranked.find((r) => r.stop.id === stop.id)!.distance);
    return { key: photo.key, stopId: stop.id, confidence, reason: { kind: 'distance-tie', distanceM: d, tiedStops: tied.length, decidedBy: 'day' } };
  }
  return { needsNeighbours: true, key: photo.key, candidates: sameDay.length > 1 ? sameDay : tied, distanceM: distance, confidence };
}

function decideTie(photo: PhotoForMatching, tie: PendingTie, neighbours: readonly PlacedPhoto[]): StopProposal {
  const candidateIds = new Set(tie.candidates.map((s) => s.id));
  if (photo.takenLocal) {
    const around = neighboursAround(photo.takenLocal, neighbours.filter((n) => candidateIds.has(n.stopId)));
    const chosen = around.previous?.stopId ?? around.next?.stopId;
    if (chosen) {
      return { key: photo.key, stopId: chosen, confidence: lower(tie.confidence), reason: { kind: 'distance-tie', distanceM: tie.distanceM, tiedStops: tie.candidates.length, decidedBy: 'neighbours' } };
    }
  }
  const first = tie.candidates[0]!;
  return { key: photo.key, stopId: first.id, confidence: 'low', reason: { kind: 'distance-tie', distanceM: tie.distanceM, tiedStops: tie.candidates.length, decidedBy: 'itinerary-order' } };
}

function proposeByTime(photo: PhotoForMatching, itinerary: readonly StopForMatching[], neighbours: readonly PlacedPhoto[], o: Resolved): StopProposal {
  if (!photo.takenLocal) return { key: photo.key, stopId: null, confidence: null, reason: { kind: 'no-evidence' } };
  const t = photo.takenLocal;
  const day = dayOf(t);
  const stopsThatDay = itinerary.filter((s) => s.day === day);
  if (stopsThatDay.length === 0) return { key: photo.key, stopId: null, confidence: null, reason: { kind: 'day-not-on-itinerary', day } };
  if (stopsThatDay.length === 1) return { key: photo.key, stopId: stopsThatDay[0]!.id, confidence: 'medium', reason: { kind: 'only-stop-that-day', day } };

  const dayIds = new Set(stopsThatDay.map((s) => s.id));
  const { previous, next } = neighboursAround(
    t,
    neighbours.filter((n) => dayOf(n.takenLocal) === day && dayIds.has(n.stopId)),
  );
  if (previous && next && previous.stopId === next.stopId) {
    return { key: photo.key, stopId: previous.stopId, confidence: 'medium', reason: { kind: 'between-neighbours', day } };
  }
  // one side only, or between two stops: the closer neighbour in time, if it is close enough
  const candidates = [previous, next]
    .filter((n): n is PlacedPhoto => n !== undefined)
    .map((n) => ({ n, minutes: Math.abs(minutesBetween(n.takenLocal, t)) }))
    .filter((c) => c.minutes <= o.neighbourMinutes)
    .sort((a, b) => a.minutes - b.minutes);
  const closest = candidates[0];
  if (closest) {
    return { key: photo.key, stopId: closest.n.stopId, confidence: 'low', reason: { kind: 'near-neighbour', day, minutes: Math.round(closest.minutes) } };
  }
  return { key: photo.key, stopId: null, confidence: null, reason: { kind: 'several-stops-that-day', day, stops: stopsThatDay.length } };
}

/** The latest neighbour at or before `t` and the earliest at or after it (neighbours sorted by time). */
function neighboursAround(t: LocalDateTime, sorted: readonly PlacedPhoto[]): { previous?: PlacedPhoto; next?: PlacedPhoto } {
  let previous: PlacedPhoto | undefined;
  let next: PlacedPhoto | undefined;
  for (const n of sorted) {
    if (n.takenLocal <= t) previous = n;
    if (n.takenLocal >= t && next === undefined) next = n;
  }
  return { previous, next };
}

function lower(c: MatchConfidence): MatchConfidence {
  return c === 'high' ? 'medium' : 'low';
}

function byItinerary(a: StopForMatching, b: StopForMatching): number {
  return a.day.localeCompare(b.day) || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
