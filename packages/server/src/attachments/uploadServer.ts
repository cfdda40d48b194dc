import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileStore } from '@tus/file-store';
import { Metadata, Server } from '@tus/server';
import type { Upload } from '@tus/server';
import { problem } from '@outpost/core';
import { PRIVATE_DIR_MODE } from '../storage/privateFiles.js';
import type { Store } from '../storage/store.js';
import type { BlobStore } from './BlobStore.js';
import type { FinishResult } from './finishUpload.js';
import { finishUpload } from './finishUpload.js';
import { PrivateFileStore } from './uploadFiles.js';
import { readUploadMetadata } from './uploadMetadata.js';
import type { UploadMetadata } from './uploadMetadata.js';

/** Uploads abandoned half-way are forgotten after this long; a device then starts again. */
const abandonedAfterMs = 7 * 24 * 60 * 60 * 1000;

/** tus ids are 32 hex digits (the server's default naming); anything else is not ours. */
export const uploadIdPattern = /^[0-9a-f]{32}$/;

export interface UploadServerOptions {
  /** URL path the uploads live under, e.g. `/api/v1/uploads`. */
  readonly path: string;
  /** Folder for uploads in progress. */
  readonly directory: string;
  readonly maxBytes: number;
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly now: () => Date;
}

/** An upload in progress, as its owner may see it. */
export interface UploadInProgress {
  readonly id: string;
  readonly offset: number;
  /** Undefined only for deferred-length uploads, which this server refuses at creation. */
  readonly size: number | undefined;
  readonly createdBy: string | null;
  readonly metadata: UploadMetadata | null;
}

export interface UploadServer {
  /**
   * Hands one tus request to the tus server; `userId` becomes the owner of a new upload. `uploadId`
   * is the upload the route authorized (null for a creation): the tus server acts on that id and
   * never on one it reads from the URL itself.
   */
  handle(req: IncomingMessage, res: ServerResponse, userId: string, uploadId: string | null): Promise<void>;
  find(id: string): Promise<UploadInProgress | undefined>;
  /** Finishes a complete upload (used when a device asks about an upload a crash left complete). */
  finish(id: string): Promise<FinishResult | undefined>;
}

const problemHeaders = { 'Content-Type': 'application/problem+json; charset=utf-8' };

function viewOf(upload: Upload): UploadInProgress {
  const meta = upload.metadata ?? {};
  const read = readUploadMetadata(meta);
  return {
    id: upload.id,
    offset: upload.offset,
    size: upload.size,
    createdBy: meta['createdBy'] ?? null,
    metadata: read.ok ? read.metadata : null,
  };
}

/**
 * The tus 1.0 server (creation, HEAD offset, PATCH append, termination) over a FileStore in
 * `directory`. The HTTP route authenticates and checks scope before a request reaches it; this
 * adds the owner to a new upload's metadata and, when the last byte arrives, verifies and moves
 * the file into the BlobStore and links it (finishUpload). Built lazily so an app that never
 * receives an upload creates no folder.
 */
export function createUploadServer(options: UploadServerOptions): UploadServer {
  // The authenticated caller and the upload the route checked, for the tus callbacks of one request.
  const context = new AsyncLocalStorage<{ userId: string; uploadId: string | null }>();
  let datastore: FileStore | null = null;

  async function finishAndRemove(upload: Upload): Promise<FinishResult | undefined> {
    const view = viewOf(upload);
    const path = upload.storage?.path;
    if (view.metadata === null || path === undefined || upload.size === undefined) return undefined;
    const result = await finishUpload(
      { id: upload.id, path, bytes: upload.size, metadata: view.metadata, createdBy: view.createdBy },
      { store: options.store, blobs: options.blobs, now: options.now },
    );
    // Kept bytes are in the BlobStore now; refused bytes are not wanted. Either way the upload goes.
    await datastore?.remove(upload.id).catch(() => undefined);
    return result;
  }

  /**
   * The tus server, built on first use: the uploads folder is made (0700) once per process, before
   * the FileStore that would otherwise make it with the umask's mode.
   */
  let built: Promise<{ tus: Server; datastore: FileStore }> | null = null;
  function server(): Promise<{ tus: Server; datastore: FileStore }> {
    built ??= fs.mkdir(options.directory, { recursive: true, mode: PRIVATE_DIR_MODE }).then(build, (err: unknown) => {
      built = null;
      throw err;
    });
    return built;
  }

  function build(): { tus: Server; datastore: FileStore } {
    datastore = new PrivateFileStore(options.directory, abandonedAfterMs);
    const tus = new Server({
      path: options.path,
      datastore,
      maxSize: options.maxBytes,
      relativeLocation: true,
      respectForwardedHeaders: false,
      // Same-origin only: the PWA is served by this server; no other site may upload.
      allowedOrigins: () => false,
      disableTerminationForFinishedUploads: true,
      // The id comes from the route's parameter, which the route authorized, never from the tus
      // library's own reading of the URL (which took the last segment, query string included).
      getFileIdFromRequest: () => context.getStore()?.uploadId ?? undefined,
      async onUploadCreate(_req, upload) {
        // The owner comes from the authenticated request, never from what the device sent.
        const userId = context.getStore()?.userId;
        if (userId === undefined)
          throw Object.assign(new Error('no owner'), { status_code: 401, body: 'Log in first\n' });
        return { metadata: { ...(upload.metadata ?? {}), createdBy: userId } };
      },
      async onUploadFinish(_req, upload) {
        const result = await finishAndRemove(upload);
        if (result === undefined) {
          return {
            status_code: 400,
            headers: problemHeaders,
            body: JSON.stringify(problem('attachment.invalid', 'The upload has no valid metadata.')),
          };
        }
        if (result.ok) return {};
        return {
          status_code: result.code === 'attachment.conflict' ? 409 : 422,
          headers: problemHeaders,
          body: JSON.stringify(problem(result.code, result.detail)),
        };
      },
    });
    return { tus, datastore };
  }

  async function getUpload(id: string): Promise<Upload | undefined> {
    if (!uploadIdPattern.test(id)) return undefined;
    try {
      return await (await server()).datastore.getUpload(id);
    } catch {
      return undefined;
    }
  }

  return {
    async handle(req, res, userId, uploadId) {
      const { tus } = await server();
      await context.run({ userId, uploadId }, () => tus.handle(req, res));
    },
    async find(id) {
      const upload = await getUpload(id);
      return upload === undefined ? undefined : viewOf(upload);
    },
    async finish(id) {
      const upload = await getUpload(id);
      if (upload === undefined || upload.size === undefined || upload.offset !== upload.size) return undefined;
      return finishAndRemove(upload);
    },
  };
}

/** Parses a tus `Upload-Metadata` header; null when it is malformed. */
export function parseMetadataHeader(header: string | undefined): Record<string, string | null> | null {
  try {
    return Metadata.parse(header);
  } catch {
    return null;
  }
}
