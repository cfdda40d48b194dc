import { gzipSync } from 'node:zlib';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { writePmtiles, type PmtilesTile } from './pmtilesWriter.js';

/** The archive as pmtiles reads a file over HTTP: by byte ranges. */
function memorySource(bytes: Uint8Array): Source {
  return {
    getKey: () => 'memory',
    getBytes: (offset: number, length: number): Promise<RangeResponse> => {
      const slice = bytes.slice(offset, offset + length);
      return Promise.resolve({ data: slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength) });
    },
  };
}

function tile(z: number, x: number, y: number, text: string): PmtilesTile {
  return { z, x, y, data: gzipSync(Buffer.from(text)) };
}

const bounds = { west: 106.94, south: 47.895, east: 107.12, north: 47.965 };
const center = { longitude: 107.03, latitude: 47.93, zoom: 12 };

describe('writePmtiles', () => {
  it('writes a v3 archive the pmtiles library reads back tile by tile, with header and metadata', async () => {
    const tiles = [tile(0, 0, 0, 'world'), tile(1, 1, 0, 'north-east'), tile(12, 3265, 1443, 'bayanzurkh')];
    const bytes = writePmtiles({
      tiles,
      metadata: { name: 'demo', vector_layers: [{ id: 'water', fields: {} }] },
      bounds,
      center,
      tileCompression: 2,
    });
    const archive = new PMTiles(memorySource(bytes));
    const header = await archive.getHeader();
    expect(header.specVersion).toBe(3);
    expect(header.minZoom).toBe(0);
    expect(header.maxZoom).toBe(12);
    expect(header.minLon).toBeCloseTo(106.94, 6);
    expect(header.maxLat).toBeCloseTo(47.965, 6);
    expect(header.centerZoom).toBe(12);
    expect(header.numAddressedTiles).toBe(3);
    expect(await archive.getMetadata()).toEqual({ name: 'demo', vector_layers: [{ id: 'water', fields: {} }] });
    for (const [z, x, y, text] of [
      [0, 0, 0, 'world'],
      [1, 1, 0, 'north-east'],
      [12, 3265, 1443, 'bayanzurkh'],
    ] as const) {
      const found = await archive.getZxy(z, x, y);
      // pmtiles undoes the tile compression the header declares.
      expect(Buffer.from(found!.data).toString()).toBe(text);
    }
    expect(await archive.getZxy(1, 0, 0)).toBeUndefined();
    expect(await archive.getZxy(12, 3266, 1443)).toBeUndefined();
  });

  it('stores identical tiles once and reads every one of a run back', async () => {
    const sea = gzipSync(Buffer.from('sea'));
    const tiles: PmtilesTile[] = [];
    for (let x = 0; x < 4; x += 1) for (let y = 0; y < 4; y += 1) tiles.push({ z: 2, x, y, data: sea });
    tiles.push(tile(3, 0, 0, 'land'));
    const bytes = writePmtiles({ tiles, metadata: {}, bounds, center, tileCompression: 2 });
    const archive = new PMTiles(memorySource(bytes));
    const header = await archive.getHeader();
    expect(header.numAddressedTiles).toBe(17);
    expect(header.numTileContents).toBe(2);
    for (let x = 0; x < 4; x += 1) {
      for (let y = 0; y < 4; y += 1) {
        expect(Buffer.from((await archive.getZxy(2, x, y))!.data).toString()).toBe('sea');
      }
    }
    expect(Buffer.from((await archive.getZxy(3, 0, 0))!.data).toString()).toBe('land');
  });

  it('refuses the same tile twice rather than writing an archive with two answers', () => {
    expect(() =>
      writePmtiles({
        tiles: [tile(1, 0, 0, 'a'), tile(1, 0, 0, 'b')],
        metadata: {},
        bounds,
        center,
        tileCompression: 2,
      }),
    ).toThrow(/appears twice/);
  });
});
