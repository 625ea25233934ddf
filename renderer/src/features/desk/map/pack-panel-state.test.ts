import { describe, expect, it } from 'vitest';
import type { MapSource, MapSourcesResponse, TilePackStatus } from '@shared/maps/pack-protocol';
import { buildView, implausibleStops, inLanguage, isBuilding, packPanelView, packSources } from './pack-panel-state';

const source = (id: string, patch: Partial<MapSource> = {}): MapSource => ({ id, name: id, attribution: '', coordSystem: 'wgs84', minZoom: 0, maxZoom: 18, online: true, packs: true, ...patch });
const none: TilePackStatus = { pack: null, build: null };
const startedAt = '2026-12-03T08:00:00.000Z';

describe('the desk offline map panel', () => {
  it('offers only sources that allow packs, the default first', () => {
    const sources: MapSourcesResponse = { sources: [source('osm', { packs: false }), source('city'), source('tianditu')], defaultSourceId: 'tianditu' };
    expect(packSources(sources).map((s) => s.id)).toEqual(['tianditu', 'city']);
    const view = packPanelView(sources, none);
    expect(view).toMatchObject({ kind: 'ready', defaultSourceId: 'tianditu', pack: null, build: null });
  });

  it('says what to do when no source allows packs, telling apart "none configured" and "only refused ones (OSM)"', () => {
    expect(packPanelView({ sources: [], defaultSourceId: null }, none)).toEqual({ kind: 'noPackSource', hasOnlyRefused: false, pack: null });
    expect(packPanelView({ sources: [source('osm', { packs: false })], defaultSourceId: 'osm' }, none)).toEqual({ kind: 'noPackSource', hasOnlyRefused: true, pack: null });
  });

  it('shows a running build as tiles done of total with a whole percentage; queued counts as running', () => {
    expect(buildView({ pack: null, build: { state: 'running', done: 37, total: 124, startedAt, error: null, errorEn: null } })).toEqual({ kind: 'running', done: 37, total: 124, percent: 29 });
    expect(buildView({ pack: null, build: { state: 'queued', done: 0, total: 0, startedAt, error: null, errorEn: null } })).toEqual({ kind: 'running', done: 0, total: 0, percent: 0 });
    expect(isBuilding({ pack: null, build: { state: 'queued', done: 0, total: 0, startedAt, error: null, errorEn: null } })).toBe(true);
    expect(isBuilding({ pack: null, build: { state: 'done', done: 5, total: 5, startedAt, error: null, errorEn: null } })).toBe(false);
    expect(isBuilding(null)).toBe(false);
  });

  it('keeps a failure in both languages and picks the user’s, falling back to the other', () => {
    const failed = buildView({ pack: null, build: { state: 'failed', done: 3, total: 9, startedAt, error: '图源拒绝', errorEn: 'the source refused' } });
    expect(failed).toEqual({ kind: 'failed', done: 3, total: 9, error: '图源拒绝', errorEn: 'the source refused' });
    expect(inLanguage('zh-CN', '图源拒绝', 'the source refused')).toBe('图源拒绝');
    expect(inLanguage('en', '图源拒绝', 'the source refused')).toBe('the source refused');
    expect(inLanguage('en', '图源拒绝', null)).toBe('图源拒绝');
    expect(inLanguage('zh-CN', null, 'the source refused')).toBe('the source refused');
  });
});

describe('stops that would blow up the pack', () => {
  const stop = (id: string, lng: number | null, lat: number | null) => ({ id, name: id, lng, lat });
  it('names a stop outside China or far from the others, in itinerary order, and ignores stops without coordinates', () => {
    const nantong = [stop('a', 120.87891, 32.02751), stop('b', 120.8912, 32.03791), stop('c', 120.81899, 32.04676), stop('d', 120.8, 32.07)];
    expect(implausibleStops(nantong)).toEqual([]);
    expect(implausibleStops([...nantong, stop('sea', 32.04676, 32.04676), stop('none', null, null)]).map((s) => s.id)).toEqual(['sea']);
    expect(implausibleStops([stop('x', 116.2, 39.3), ...nantong]).map((s) => s.id)).toEqual(['x']);
  });
});
