import { gzipSync } from 'node:zlib';
import { zxyToTileId } from 'pmtiles';

/** One tile of the archive: its address and its bytes as they are to be served (already encoded). */
export interface PmtilesTile {
  readonly z: number;
  readonly x: number;
  readonly y: number;
  readonly data: Uint8Array;
}

export interface PmtilesArchive {
  readonly tiles: readonly PmtilesTile[];
  /** JSON metadata; for vector tiles it should carry `vector_layers`. */
  readonly metadata: Record<string, unknown>;
  readonly bounds: { readonly west: number; readonly south: number; readonly east: number; readonly north: number };
  readonly center: { readonly longitude: number; readonly latitude: number; readonly zoom: number };
  /** How each tile's bytes are compressed: 1 none, 2 gzip (PMTiles v3 codes). */
  readonly tileCompression: 1 | 2;
}

const headerBytes = 127;
/** The spec: the header and the root directory fit in the first 16 KiB, so one request reads both. */
const rootDirectoryLimit = 16_384 - headerBytes;
const tileTypeMvt = 1;
const compressionGzip = 2;

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

/**
 * Writes a PMTiles v3 archive (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
 * header, one gzip-compressed root directory, JSON metadata, then the tile data, clustered in
 * tile-id order with identical tiles stored once. Small archives only: a directory that does not fit
 * in the first 16 KiB (leaf directories) is refused rather than written wrong.
 */
export function writePmtiles(archive: PmtilesArchive): Uint8Array {
  const sorted = archive.tiles
    .map((tile) => ({ tileId: zxyToTileId(tile.z, tile.x, tile.y), tile }))
    .sort((a, b) => a.tileId - b.tileId);
  const entries: Entry[] = [];
  const chunks: Uint8Array[] = [];
  const seen = new Map<string, { offset: number; length: number }>();
  let dataLength = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const { tileId, tile } = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.tileId === tileId) throw new Error(`tile ${tile.z}/${tile.x}/${tile.y} appears twice`);
    const key = Buffer.from(tile.data).toString('base64');
    let place = seen.get(key);
    if (place === undefined) {
      place = { offset: dataLength, length: tile.data.length };
      seen.set(key, place);
      chunks.push(tile.data);
      dataLength += tile.data.length;
    }
    const last = entries.at(-1);
    if (last !== undefined && last.offset === place.offset && last.tileId + last.runLength === tileId) {
      last.runLength += 1;
    } else {
      entries.push({ tileId, offset: place.offset, length: place.length, runLength: 1 });
    }
  }
  const rootDirectory = gzipSync(serializeDirectory(entries));
  if (rootDirectory.length > rootDirectoryLimit) {
    throw new Error(`the root directory takes ${rootDirectory.length} bytes; leaf directories are not supported`);
  }
  const metadata = gzipSync(Buffer.from(JSON.stringify(archive.metadata), 'utf8'));
  const zooms = archive.tiles.map((tile) => tile.z);

  const header = Buffer.alloc(headerBytes);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  const rootOffset = headerBytes;
  const metadataOffset = rootOffset + rootDirectory.length;
  const tileDataOffset = metadataOffset + metadata.length;
  writeU64(header, 8, rootOffset);
  writeU64(header, 16, rootDirectory.length);
  writeU64(header, 24, metadataOffset);
  writeU64(header, 32, metadata.length);
  writeU64(header, 40, tileDataOffset); // no leaf directories: offset where they would be, length 0
  writeU64(header, 48, 0);
  writeU64(header, 56, tileDataOffset);
  writeU64(header, 64, dataLength);
  writeU64(header, 72, sorted.length);
  writeU64(header, 80, entries.length);
  writeU64(header, 88, chunks.length);
  header.writeUInt8(1, 96); // clustered: tile data in tile-id order
  header.writeUInt8(compressionGzip, 97); // directories and metadata
  header.writeUInt8(archive.tileCompression, 98);
  header.writeUInt8(tileTypeMvt, 99);
  header.writeUInt8(zooms.length === 0 ? 0 : Math.min(...zooms), 100);
  header.writeUInt8(zooms.length === 0 ? 0 : Math.max(...zooms), 101);
  header.writeInt32LE(e7(archive.bounds.west), 102);
  header.writeInt32LE(e7(archive.bounds.south), 106);
  header.writeInt32LE(e7(archive.bounds.east), 110);
  header.writeInt32LE(e7(archive.bounds.north), 114);
  header.writeUInt8(archive.center.zoom, 118);
  header.writeInt32LE(e7(archive.center.longitude), 119);
  header.writeInt32LE(e7(archive.center.latitude), 123);
  return Buffer.concat([header, rootDirectory, metadata, ...chunks]);
}

function e7(degrees: number): number {
  return Math.round(degrees * 1e7);
}

function writeU64(buffer: Buffer, at: number, value: number): void {
  buffer.writeBigUInt64LE(BigInt(value), at);
}

/** The directory as the spec lays it out: count, then tile-id deltas, run lengths, lengths, offsets. */
function serializeDirectory(entries: readonly Entry[]): Buffer {
  const bytes: number[] = [];
  const varint = (value: number): void => {
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    bytes.push(rest);
  };
  varint(entries.length);
  let lastId = 0;
  for (const entry of entries) {
    varint(entry.tileId - lastId);
    lastId = entry.tileId;
  }
  for (const entry of entries) varint(entry.runLength);
  for (const entry of entries) varint(entry.length);
  entries.forEach((entry, i) => {
    const previous = entries[i - 1];
    // 0 means "right after the previous entry's bytes"; otherwise the offset plus one.
    varint(previous !== undefined && entry.offset === previous.offset + previous.length ? 0 : entry.offset + 1);
  });
  return Buffer.from(bytes);
}
