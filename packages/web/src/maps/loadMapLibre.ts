import type * as MapLibreModule from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-csp-worker.js?url';

import type { Protocol } from 'pmtiles';
import { cachedBasemapSource } from './basemapSource.js';

export type MapLibre = typeof MapLibreModule;

let loading: Promise<MapLibre> | undefined;
let pmtilesLoading: Promise<Protocol> | undefined;

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

/**
 * Registers `pmtiles://` with MapLibre (once; only loaded when a basemap is configured) and the
 * basemap at `url`, read from the device's kept copy (basemapSource.ts). Answers the `attribution`
 * of the archive's metadata (undefined when it has none or cannot be read).
 */
export async function registerPmtiles(maplibregl: MapLibre, url: string): Promise<unknown> {
  pmtilesLoading ??= import('pmtiles').then(({ Protocol }) => {
    const protocol = new Protocol();
    maplibregl.addProtocol('pmtiles', protocol.tile);
    return protocol;
  });
  const protocol = await pmtilesLoading;
  let archive = protocol.get(url);
  if (archive === undefined) {
    const { PMTiles } = await import('pmtiles');
    archive = new PMTiles(cachedBasemapSource(url));
    protocol.add(archive);
  }
  const metadata = (await archive.getMetadata().catch(() => null)) as Record<string, unknown> | null;
  return metadata?.['attribution'];
}
