import type { RangeResponse, Source } from 'pmtiles';

/** Where the device keeps basemaps: Cache Storage, cleared with the other data caches at logout. */
export const basemapCacheName = 'outpost-basemaps';

/** A project's basemap on the server (HTTP range requests; members only), as `pmtiles://` needs it: absolute. */
export function projectBasemapUrl(projectId: string): string {
  return new URL(`/api/v1/projects/${encodeURIComponent(projectId)}/basemap.pmtiles`, document.baseURI).href;
}

/**
 * The basemap for `pmtiles`, read from the device's copy. The first read fetches the whole file
 * once (it is small: at most 64 MB, a city at street zoom) and keeps it in Cache Storage; every
 * read after that, online or not, slices the kept copy, so the map works with the network cut.
 * When online, a changed basemap (another hash) replaces the copy on the next first read.
 */
export function cachedBasemapSource(url: string): Source {
  let whole: Promise<Blob> | undefined;
  return {
    getKey: () => url,
    getBytes: async (offset: number, length: number): Promise<RangeResponse> => {
      whole ??= loadBasemap(url).catch((error: unknown) => {
        whole = undefined; // try again on the next tile
        throw error;
      });
      const blob = await whole;
      const data = await blob.slice(offset, offset + length).arrayBuffer();
      return { data, cacheControl: 'no-cache' };
    },
  };
}

async function loadBasemap(url: string): Promise<Blob> {
  const cache = await caches.open(basemapCacheName);
  const kept = await cache.match(url);
  if (kept !== undefined && !(await replaced(url, kept))) return kept.blob();
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) {
    if (kept !== undefined) return kept.blob();
    throw new Error(`basemap ${response.status}`);
  }
  await cache.put(url, response.clone());
  return response.blob();
}

/** Whether the server now has another basemap than the kept copy; offline, the copy stands. */
async function replaced(url: string, kept: Response): Promise<boolean> {
  if (!navigator.onLine) return false;
  try {
    const info = await fetch(url.replace(/\.pmtiles$/, ''), { credentials: 'same-origin' });
    if (!info.ok) return false;
    const { sha256 } = (await info.json()) as { sha256?: string };
    return sha256 !== undefined && kept.headers.get('etag') !== `"${sha256}"`;
  } catch {
    return false;
  }
}
