/**
 * A Leaflet map in a React component: `const { containerRef, map } = useLeafletMap(basemap)`, then
 * `<div ref={containerRef} className="map-canvas" />`. The map is made when the element mounts and
 * removed when it unmounts; the basemap layer is replaced when the basemap changes (a pack
 * finished downloading, the network came back). Overlays (pins, routes) are the caller's, added
 * to `map` in its own effects.
 */
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../i18n/use-t';
import { createBasemapLayer } from './basemap-layer';
import type { Basemap } from './use-basemap';
import './map.css';

/** The whole of China, for a map with nothing on it yet. */
export const CHINA_VIEW = { center: L.latLng(35, 105), zoom: 4 } as const;

export function useLeafletMap(basemap: Basemap | undefined, options: { minZoom?: number; maxZoom?: number } = {}): { containerRef: (element: HTMLDivElement | null) => void; map: L.Map | null } {
  const t = useT();
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const [map, setMap] = useState<L.Map | null>(null);
  const containerRef = useCallback((el: HTMLDivElement | null) => setElement(el), []);
  const { minZoom = 3, maxZoom = 18 } = options;
  const zoomIn = t('map.zoomIn');
  const zoomOut = t('map.zoomOut');

  useEffect(() => {
    if (!element) return;
    const created = L.map(element, { minZoom, maxZoom, zoomControl: false, attributionControl: true, center: CHINA_VIEW.center, zoom: CHINA_VIEW.zoom });
    // no "Leaflet" link: it would leave the app; the basemap's own attribution is shown below
    created.attributionControl.setPrefix(false);
    L.control.zoom({ zoomInTitle: zoomIn, zoomOutTitle: zoomOut }).addTo(created);
    setMap(created);
    // a map made in a hidden or resizing box measures itself again when the box changes
    const resize = new ResizeObserver(() => created.invalidateSize());
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.remove();
      setMap(null);
    };
  }, [element, minZoom, maxZoom, zoomIn, zoomOut]);

  useEffect(() => {
    if (!map || !basemap) return;
    const layer = createBasemapLayer(basemap.tiles, { attribution: basemap.attribution ? escapeHtml(basemap.attribution) : undefined });
    layer.addTo(map);
    return () => {
      layer.remove();
    };
    // the layer is made anew only when the basemap's key changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, basemap?.key]);

  return { containerRef, map };
}

/** Leaflet writes attributions as HTML: a source's text from the server must stay text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
