import { describe, expect, it } from 'vitest';
import { distanceM } from './geo';
import { proposeStops, type PhotoForMatching, type PlacedPhoto, type StopForMatching } from './match-stop';

/** A point `north` and `east` metres from (lat, lng): good to a fraction of a metre at these scales. */
function offset(at: { lat: number; lng: number }, north: number, east: number) {
  return { lat: at.lat + north / 111_195, lng: at.lng + east / (111_195 * Math.cos((at.lat * Math.PI) / 180)) };
}

const p1 = { lat: 32.02751, lng: 120.87891 };
const p2 = { lat: 32.03791, lng: 120.8912 };
const p3 = { lat: 32.04676, lng: 120.81899 };
/** an industrial park that hosts several projects */
const park = { lat: 32.04533, lng: 120.88159 };
const p8 = { lat: 35.41646, lng: 116.58722 };

const stop = (id: string, day: string, order: number, at: { lat: number; lng: number } | null): StopForMatching => ({ id, day, order, lat: at?.lat ?? null, lng: at?.lng ?? null });

// listed out of itinerary order on purpose
const stops: StopForMatching[] = [
  stop('s6', '2021-12-09', 1, offset(park, 20, 0)),
  stop('s1', '2021-12-08', 1, p1),
  stop('s2', '2021-12-08', 2, p2),
  stop('s3', '2021-12-08', 3, p3),
  stop('s4', '2021-12-08', 4, park),
  stop('s5', '2021-12-08', 5, offset(park, 0, 30)),
  stop('s7', '2021-12-09', 2, null),
  stop('s8', '2021-12-10', 1, p8),
];

const photo = (takenLocal: string | null, at: { lat: number; lng: number } | null = null, key = 'x'): PhotoForMatching => ({
  key,
  takenLocal,
  lat: at?.lat ?? null,
  lng: at?.lng ?? null,
});

describe('proposeStops: by GPS distance', () => {
  it.each([
    { name: 'near a stop, on its day', photo: photo('2021-12-08T09:10:00', offset(p1, 120, 0)), stopId: 's1', confidence: 'high', reason: { kind: 'distance', distanceM: 120, dayMatches: true } },
    { name: 'near a stop, no time', photo: photo(null, offset(p1, 0, -200)), stopId: 's1', confidence: 'high', reason: { kind: 'distance', distanceM: 200, dayMatches: null } },
    { name: 'near a stop, another day', photo: photo('2021-12-09T09:10:00', offset(p1, 120, 0)), stopId: 's1', confidence: 'medium', reason: { kind: 'distance', distanceM: 120, dayMatches: false } },
    { name: 'on the boundary of near (500 m)', photo: photo('2021-12-08T09:10:00', offset(p1, -500, 0)), stopId: 's1', confidence: 'high', reason: { kind: 'distance', distanceM: 500, dayMatches: true } },
    { name: '1.2 km away: medium', photo: photo('2021-12-08T09:10:00', offset(p1, -1200, 0)), stopId: 's1', confidence: 'medium', reason: { kind: 'distance', distanceM: 1200, dayMatches: true } },
    { name: '1.2 km away on another day: low', photo: photo('2021-12-10T09:10:00', offset(p1, -1200, 0)), stopId: 's1', confidence: 'low', reason: { kind: 'distance', distanceM: 1200, dayMatches: false } },
    { name: 'far from every stop', photo: photo('2021-12-08T09:10:00', offset(p1, -5000, 0)), stopId: null, confidence: null, reason: { kind: 'too-far', nearestStopId: 's1', distanceM: 5000 } },
  ])('$name', ({ photo: p, stopId, confidence, reason }) => {
    const [proposal] = proposeStops([p], stops);
    expect(proposal).toEqual({ key: 'x', stopId, confidence, reason });
  });

  it('takes the nearest of two stops that are not a tie', () => {
    // 300 m from s2 and ~1.3 km from s1
    const [proposal] = proposeStops([photo('2021-12-08T10:00:00', offset(p2, -300, 0))], stops);
    expect(proposal).toMatchObject({ stopId: 's2', confidence: 'high', reason: { kind: 'distance', distanceM: 300 } });
  });

  it('ignores a 0/0 fix and falls back to time', () => {
    const [proposal] = proposeStops([photo('2021-12-10T11:00:00', { lat: 0, lng: 0 })], stops);
    expect(proposal).toMatchObject({ stopId: 's8', reason: { kind: 'only-stop-that-day' } });
  });

  it('uses time when no stop has coordinates', () => {
    const noCoordinates = stops.map((s) => ({ ...s, lat: null, lng: null }));
    const [proposal] = proposeStops([photo('2021-12-10T11:00:00', offset(p1, 10, 10))], noCoordinates);
    expect(proposal).toMatchObject({ stopId: 's8', confidence: 'medium', reason: { kind: 'only-stop-that-day', day: '2021-12-10' } });
  });
});

describe('proposeStops: stops about equally near (ties)', () => {
  const inPark = offset(park, 5, 10);

  it('are told apart by the photo day when one of them is on it', () => {
    const [proposal] = proposeStops([photo('2021-12-09T09:00:00', inPark)], stops);
    expect(proposal).toMatchObject({ stopId: 's6', confidence: 'high', reason: { kind: 'distance-tie', tiedStops: 3, decidedBy: 'day' } });
  });

  it('are told apart by a neighbour in time when several are on the photo day', () => {
    const placed: PlacedPhoto[] = [
      { stopId: 's4', takenLocal: '2021-12-08T14:20:00' },
      { stopId: 's5', takenLocal: '2021-12-08T15:10:00' },
    ];
    const [afterS5, betweenThem] = proposeStops([photo('2021-12-08T15:20:00', inPark, 'a'), photo('2021-12-08T14:40:00', inPark, 'b')], stops, { placed });
    expect(afterS5).toMatchObject({ key: 'a', stopId: 's5', confidence: 'medium', reason: { kind: 'distance-tie', decidedBy: 'neighbours', tiedStops: 2 } });
    // the latest neighbour before it wins
    expect(betweenThem).toMatchObject({ key: 'b', stopId: 's4', confidence: 'medium', reason: { kind: 'distance-tie', decidedBy: 'neighbours' } });
  });

  it('fall back to itinerary order, with low confidence, when nothing else tells', () => {
    const [sameDay, noTime] = proposeStops([photo('2021-12-08T15:20:00', inPark, 'a'), photo(null, inPark, 'b')], stops);
    expect(sameDay).toMatchObject({ stopId: 's4', confidence: 'low', reason: { kind: 'distance-tie', tiedStops: 2, decidedBy: 'itinerary-order' } });
    expect(noTime).toMatchObject({ stopId: 's4', confidence: 'low', reason: { kind: 'distance-tie', tiedStops: 3, decidedBy: 'itinerary-order' } });
  });

  it('reports the distance to the stop it chose', () => {
    const [proposal] = proposeStops([photo('2021-12-09T09:00:00', inPark)], stops);
    const s6 = stops.find((s) => s.id === 's6')!;
    expect(proposal?.reason).toMatchObject({ distanceM: Math.round(distanceM(inPark, { lat: s6.lat!, lng: s6.lng! })) });
  });
});

describe('proposeStops: by time, without GPS', () => {
  // GPS-matched photos of the same import become neighbours in time
  const s2Morning = photo('2021-12-08T10:00:00', offset(p2, 50, 0), 'gps-s2-a');
  const s2Later = photo('2021-12-08T10:30:00', offset(p2, -50, 0), 'gps-s2-b');
  const s3Noon = photo('2021-12-08T11:40:00', offset(p3, 20, 20), 'gps-s3');

  it.each([
    { name: 'between two photos of the same stop', at: '2021-12-08T10:12:00', stopId: 's2', confidence: 'medium', reason: { kind: 'between-neighbours', day: '2021-12-08' } },
    { name: 'just after a stop, long before the next', at: '2021-12-08T10:40:00', stopId: 's2', confidence: 'low', reason: { kind: 'near-neighbour', day: '2021-12-08', minutes: 10 } },
    { name: 'just before the next stop', at: '2021-12-08T11:25:00', stopId: 's3', confidence: 'low', reason: { kind: 'near-neighbour', day: '2021-12-08', minutes: 15 } },
    { name: 'exactly at a neighbour', at: '2021-12-08T11:40:00', stopId: 's3', confidence: 'medium', reason: { kind: 'between-neighbours', day: '2021-12-08' } },
    { name: 'too long after the last neighbour', at: '2021-12-08T13:00:00', stopId: null, confidence: null, reason: { kind: 'several-stops-that-day', day: '2021-12-08', stops: 5 } },
    { name: 'the only stop of its day', at: '2021-12-10T16:00:00', stopId: 's8', confidence: 'medium', reason: { kind: 'only-stop-that-day', day: '2021-12-10' } },
    { name: 'a day the tour did not visit', at: '2021-12-11T09:00:00', stopId: null, confidence: null, reason: { kind: 'day-not-on-itinerary', day: '2021-12-11' } },
  ])('$name', ({ at, stopId, confidence, reason }) => {
    const proposals = proposeStops([s2Morning, photo(at, null, 'x'), s2Later, s3Noon], stops);
    expect(proposals.map((p) => p.key)).toEqual(['gps-s2-a', 'x', 'gps-s2-b', 'gps-s3']);
    expect(proposals[1]).toEqual({ key: 'x', stopId, confidence, reason });
  });

  it('has nothing to go on without GPS and time', () => {
    expect(proposeStops([photo(null)], stops)).toEqual([{ key: 'x', stopId: null, confidence: null, reason: { kind: 'no-evidence' } }]);
  });

  it('does not know the stop of a day with several stops and no neighbours', () => {
    expect(proposeStops([photo('2021-12-08T10:12:00')], stops)[0]).toMatchObject({ stopId: null, reason: { kind: 'several-stops-that-day', stops: 5 } });
  });

  it('uses photos already placed at stops, but only of the same day and of known stops', () => {
    const placed: PlacedPhoto[] = [
      { stopId: 's1', takenLocal: '2021-12-08T09:00:00' },
      { stopId: 's1', takenLocal: '2021-12-08T09:30:00' },
      { stopId: 'gone', takenLocal: '2021-12-08T09:15:00' },
      { stopId: 's6', takenLocal: '2021-12-09T09:15:00' },
    ];
    expect(proposeStops([photo('2021-12-08T09:15:00')], stops, { placed })[0]).toMatchObject({ stopId: 's1', confidence: 'medium', reason: { kind: 'between-neighbours' } });
    // s6's photo is on another day: not a neighbour
    expect(proposeStops([photo('2021-12-08T09:40:00')], stops, { placed: placed.slice(3) })[0]).toMatchObject({ stopId: null });
  });

  it('does not lean on GPS proposals that are themselves unsure', () => {
    // a photo 1.2 km from s1 on another day (low), and one without GPS 5 minutes later
    const unsure = photo('2021-12-10T09:10:00', offset(p1, -1200, 0), 'unsure');
    const proposals = proposeStops([unsure, photo('2021-12-09T09:15:00', null, 'x')], stops);
    expect(proposals[0]).toMatchObject({ stopId: 's1', confidence: 'low' });
    expect(proposals[1]).toMatchObject({ stopId: null, reason: { kind: 'several-stops-that-day', day: '2021-12-09', stops: 2 } });
  });

  it('is deterministic and keeps the input order', () => {
    const input = [s3Noon, photo('2021-12-08T10:12:00', null, 'x'), s2Later, s2Morning];
    expect(proposeStops(input, stops)).toEqual(proposeStops(input, [...stops].reverse()));
    expect(proposeStops(input, stops).map((p) => p.key)).toEqual(['gps-s3', 'x', 'gps-s2-b', 'gps-s2-a']);
  });
});

describe('proposeStops: stops imported from a GCJ-02 (高德) table', () => {
  it('matches WGS-84 camera GPS on the stored WGS-84 coordinates, not on the table\u2019s shifted ones', async () => {
    const { parseCsv } = await import('../import/csv');
    const { importTourTable } = await import('../import/tour-table');
    const { fromWgs84 } = await import('../maps/coords');
    // the site, as a GPS (WGS-84) puts it, and as 高德 shows the same spot (GCJ-02, ~500 m away here)
    const site = { lat: 32.02751, lng: 120.87891 };
    const gaode = fromWgs84(site, 'gcj02');
    expect(distanceM(site, gaode)).toBeGreaterThan(400);
    const rows = parseCsv(['观摩日期,顺序,县市区,项目名称,经度,纬度', `2021-12-08,1,崇川区,甲,${gaode.lng.toFixed(6)},${gaode.lat.toFixed(6)}`].join('\n'));
    const imported = importTourTable(rows, { tourId: 't', coordSystem: 'gcj02' });
    if (!imported.ok) throw new Error(imported.errors[0]!.message);
    const [stored] = imported.value.stops;
    const photo = { key: 'p', takenLocal: '2021-12-08T10:00:00', ...offset(site, 30, 0) };
    expect(proposeStops([photo], [{ id: stored!.id, day: stored!.day, order: stored!.order, lat: stored!.lat, lng: stored!.lng }])[0]).toMatchObject({
      stopId: 't-stop-1',
      confidence: 'high',
      reason: { kind: 'distance', distanceM: 30, dayMatches: true },
    });
  });
});
