import type * as MapLibreModule from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-csp-worker.js?url';

export type MapLibre = typeof MapLibreModule;

let loading: Promise<MapLibre> | undefined;
let pmtilesLoading: Promise<void> | undefined;

/**
 * MapLibre's CSP build, loaded once on demand. The default build starts its worker from a blob: URL,
 * which `worker-src 'self'` forbids; the CSP build takes the worker as a file from our own origin.
 */
export function loadMapLibre(): Promise<MapLibre> {
  loading ??= import('maplibre-gl/dist/maplibre-gl-csp.js').then((module) => {
    const maplibregl = module.default;
    maplibregl.setWorkerUrl(new URL(workerUrl, document.baseURI).href);
    return maplibregl;
  });
  return loading;
}

/** Registers `pmtiles://` with MapLibre; only loaded when a basemap file is configured. */
export function registerPmtiles(maplibregl: MapLibre): Promise<void> {
  pmtilesLoading ??= import('pmtiles').then(({ Protocol }) => {
    maplibregl.addProtocol('pmtiles', new Protocol().tile);
  });
  return pmtilesLoading;
}
