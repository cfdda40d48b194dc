/** What an administrator is shown of a basemap: read from the PMTiles archive itself. */
export interface BasemapFacts {
  /** The `name` (else `description`) in the archive's metadata; null when it names itself nothing. */
  readonly name: string | null;
  /** Where it has tiles, in degrees. */
  readonly bounds: { readonly west: number; readonly south: number; readonly east: number; readonly north: number };
  readonly minZoom: number;
  readonly maxZoom: number;
}

/**
 * Reads the header and metadata of a PMTiles v3 archive: a chosen file before it is uploaded, or
 * the project's current basemap by URL (two range requests, not the whole file). Throws when it is
 * not such an archive. `pmtiles` is loaded only here and with the map.
 */
export async function readBasemapFacts(from: File | string): Promise<BasemapFacts> {
  const { FileSource, PMTiles } = await import('pmtiles');
  const archive = new PMTiles(typeof from === 'string' ? from : new FileSource(from));
  const header = await archive.getHeader();
  if (header.specVersion !== 3) throw new Error(`PMTiles version ${header.specVersion}`);
  const metadata = (await archive.getMetadata().catch(() => null)) as Record<string, unknown> | null;
  const named = [metadata?.['name'], metadata?.['description']].find((v) => typeof v === 'string' && v.trim() !== '');
  return {
    name: typeof named === 'string' ? named.trim() : null,
    bounds: { west: header.minLon, south: header.minLat, east: header.maxLon, north: header.maxLat },
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
  };
}
