import { createHash } from 'node:crypto';
import type { BlobStore, ByteRange, StoredBlob } from '../attachments/BlobStore.js';
import {
  findProjectBasemap,
  isBlobReferenced,
  setProjectBasemap,
  type ProjectBasemap,
  type Store,
} from '../storage/index.js';

/** A city or a few districts at street zoom fit; a country's worth belongs in a tile server. */
export const BASEMAP_LIMIT_BYTES = 64 * 1024 * 1024;
export const PMTILES_TYPE = 'application/vnd.pmtiles';

const headerBytes = 127;

/** True when the bytes start as a PMTiles v3 archive does: the magic, version 3, a whole header. */
export function isPmtilesV3(bytes: Uint8Array): boolean {
  return (
    bytes.length >= headerBytes && Buffer.from(bytes.subarray(0, 7)).toString('latin1') === 'PMTiles' && bytes[7] === 3
  );
}

export type ReplaceResult = { readonly ok: true; readonly basemap: ProjectBasemap } | { readonly ok: false };

/**
 * Stores an uploaded basemap in the blob store under its hash and points the project at it. The
 * blob is stored before the project changes, so a failure leaves the previous basemap in place.
 * The replaced blob is deleted when nothing else names it (another project's basemap, an
 * attachment, form media: blobs are content-addressed and shared); a failed delete leaves it.
 */
export async function replaceProjectBasemap(
  projectId: string,
  bytes: Uint8Array,
  blobs: BlobStore,
  store: Store,
): Promise<ReplaceResult> {
  if (!isPmtilesV3(bytes) || bytes.length > BASEMAP_LIMIT_BYTES) return { ok: false };
  const basemap = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  const put = await blobs.put([bytes], basemap);
  if (!put.ok) throw new Error(`basemap blob not stored: ${put.detail}`);
  const previous = await setProjectBasemap(projectId, basemap, store);
  if (
    previous !== undefined &&
    previous.sha256 !== basemap.sha256 &&
    !(await isBlobReferenced(previous.sha256, store))
  ) {
    // The project already points at the new one: an orphan left by a failed delete costs disk only.
    await blobs.delete(previous.sha256).catch(() => undefined);
  }
  return { ok: true, basemap };
}

export interface BasemapRead {
  readonly basemap: ProjectBasemap;
  readonly blob: StoredBlob;
}

/** The project's basemap bytes (a range of them), or undefined when it has none. */
export async function readProjectBasemap(
  projectId: string,
  range: ByteRange | undefined,
  blobs: BlobStore,
  store: Store,
): Promise<BasemapRead | undefined> {
  const basemap = await findProjectBasemap(projectId, store);
  if (basemap === undefined) return undefined;
  const blob = await blobs.get(basemap.sha256, range);
  return blob === null ? undefined : { basemap, blob };
}

export async function projectBasemapInfo(projectId: string, store: Store): Promise<ProjectBasemap | undefined> {
  return findProjectBasemap(projectId, store);
}
