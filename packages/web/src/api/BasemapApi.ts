/** A project's offline basemap as the server keeps it: the PMTiles file's hash and size. */
export interface BasemapInfo {
  readonly sha256: string;
  readonly bytes: number;
}

/** The server's limit for one basemap file (server `BASEMAP_LIMIT_BYTES`): checked before sending. */
export const basemapLimitBytes = 64 * 1024 * 1024;

/** How much of an upload has gone: bytes sent of the whole. */
export type UploadProgress = (sent: number, total: number) => void;

export interface BasemapApi {
  /** The project's basemap, or null when it has none (`basemap.none`). */
  getBasemap(projectId: string): Promise<BasemapInfo | null>;
  /**
   * Uploads a PMTiles v3 file as the project's basemap (administrators), replacing the one before;
   * `onProgress` hears the bytes sent. A refusal is an ApiProblem (`basemap.invalid`, 413 too large).
   */
  uploadBasemap(projectId: string, file: Blob, onProgress?: UploadProgress): Promise<BasemapInfo>;
}
