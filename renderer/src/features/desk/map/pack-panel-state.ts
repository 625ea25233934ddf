/**
 * What the desk's offline map panel says about a tour's pack, from the server's answers: which
 * sources can build one, the build's progress, the finished pack, and why nothing can be built.
 * Pure, so every case is unit tested; the panel only renders what this decides.
 */
import { checkCoordinates } from '@shared/maps/coordinate-checks';
import type { MapSource, MapSourcesResponse, TilePackStatus } from '@shared/maps/pack-protocol';

export type PackPanelView =
  /** no source on the server allows packs: say what the administrator can do */
  | { kind: 'noPackSource'; hasOnlyRefused: boolean; pack: TilePackStatus['pack'] }
  | {
      kind: 'ready';
      /** the sources a pack may be built from, the default first */
      sources: MapSource[];
      defaultSourceId: string;
      pack: TilePackStatus['pack'];
      build: BuildView | null;
    };

export type BuildView =
  | { kind: 'running'; done: number; total: number; percent: number }
  | { kind: 'done'; total: number }
  | { kind: 'failed'; error: string | null; errorEn: string | null; done: number; total: number };

/** Sources a pack may be built from (`packs`), the configured default first. */
export function packSources(sources: MapSourcesResponse): MapSource[] {
  const usable = sources.sources.filter((s) => s.packs);
  return [...usable.filter((s) => s.id === sources.defaultSourceId), ...usable.filter((s) => s.id !== sources.defaultSourceId)];
}

export function buildView(status: TilePackStatus): BuildView | null {
  const build = status.build;
  if (!build) return null;
  switch (build.state) {
    case 'queued':
    case 'running':
      return { kind: 'running', done: build.done, total: build.total, percent: build.total > 0 ? Math.min(100, Math.floor((build.done / build.total) * 100)) : 0 };
    case 'done':
      return { kind: 'done', total: build.total };
    case 'failed':
      return { kind: 'failed', error: build.error, errorEn: build.errorEn, done: build.done, total: build.total };
  }
}

export function packPanelView(sources: MapSourcesResponse, status: TilePackStatus): PackPanelView {
  const usable = packSources(sources);
  if (usable.length === 0) return { kind: 'noPackSource', hasOnlyRefused: sources.sources.length > 0, pack: status.pack };
  return { kind: 'ready', sources: usable, defaultSourceId: usable[0]!.id, pack: status.pack, build: buildView(status) };
}

/** Whether the panel must ask again soon: a build is queued or running on the server. */
export function isBuilding(status: TilePackStatus | null): boolean {
  return status?.build?.state === 'queued' || status?.build?.state === 'running';
}

/** The server's explanation in the user's language (zh-CN first, en as the fallback). */
export function inLanguage(locale: string, zh: string | null, en: string | null): string | null {
  return locale === 'zh-CN' ? (zh ?? en) : (en ?? zh);
}

/**
 * Stops whose stored coordinates look wrong (outside China, swapped, far from every other stop):
 * the pack covers the area of all stops, so one point in the sea makes it cover half the world
 * (tens of thousands of tiles). The desk names them before a build. In itinerary order.
 */
export function implausibleStops<S extends { id: string; name: string; lat: number | null; lng: number | null }>(stops: readonly S[]): S[] {
  const located = stops.filter((s) => s.lat !== null && s.lng !== null);
  const flagged = new Set(checkCoordinates(located.map((s) => ({ key: s.id, lng: s.lng!, lat: s.lat!, wgs84: { lng: s.lng!, lat: s.lat! } }))).map((f) => f.key));
  return located.filter((s) => flagged.has(s.id));
}
