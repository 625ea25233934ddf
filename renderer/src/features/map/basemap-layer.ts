/**
 * The basemap as a Leaflet GridLayer: each tile is a canvas drawn by drawTile (pack, online
 * proxy, enlarged pack tile or "no offline map here"). The canvas says where its picture came
 * from in `data-source` (tests and the benchmark read it).
 */
import * as L from 'leaflet';
import { drawTile, type BasemapTiles } from './basemap-tiles';

/** The first pack tile a layer painted, as a performance mark (with localStorage 'guanmo.mapTiming'). */
const FIRST_PACK_TILE_MARK = 'guanmo:first-pack-tile';

export function createBasemapLayer(tiles: BasemapTiles, options: L.GridLayerOptions = {}): L.GridLayer {
  let hasPaintedPack = false;
  const Layer = L.GridLayer.extend({
    createTile(coords: L.Coords, done: L.DoneCallback): HTMLElement {
      const canvas = document.createElement('canvas');
      const size = (this as L.GridLayer).getTileSize();
      canvas.width = size.x;
      canvas.height = size.y;
      canvas.className = 'basemap-tile';
      drawTile(canvas, { z: coords.z, x: coords.x, y: coords.y }, tiles).then(
        (source) => {
          canvas.dataset.source = source;
          if (source === 'pack' && !hasPaintedPack) {
            hasPaintedPack = true;
            try {
              if (globalThis.localStorage?.getItem('guanmo.mapTiming') === '1') performance.mark(FIRST_PACK_TILE_MARK);
            } catch {
              // no storage: no timing
            }
          }
          done(undefined, canvas);
        },
        (error: unknown) => {
          canvas.dataset.source = 'error';
          done(error instanceof Error ? error : new Error(String(error)), canvas);
        },
      );
      return canvas;
    },
  });
  const BasemapLayer = Layer as unknown as new (options: L.GridLayerOptions) => L.GridLayer;
  return new BasemapLayer({ maxNativeZoom: 18, ...options });
}
