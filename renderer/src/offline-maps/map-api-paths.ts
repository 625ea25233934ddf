/** Paths of the maps API (shared/maps/pack-protocol.ts documents them), with ids URL-encoded. */
export const mapApiPaths = {
  sources: () => '/api/maps/sources',
  tile: (sourceId: string, z: number, x: number, y: number) => `/api/maps/tiles/${encodeURIComponent(sourceId)}/${z}/${x}/${y}`,
  packStatus: (tourId: string) => `/api/tours/${encodeURIComponent(tourId)}/tile-pack`,
  packFile: (tourId: string) => `/api/tours/${encodeURIComponent(tourId)}/tile-pack/file`,
} as const;
