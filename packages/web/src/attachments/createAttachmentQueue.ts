import { Upload } from 'tus-js-client';
import type { AttachmentQueueRow, LocalStore } from '../store/LocalStore.js';
import { plainCodec, type CodecContext, type ValueCodec } from '../store/ValueCodec.js';
import { blobFileReader } from './blobFileReader.js';
import type { AttachmentTarget, QueuedAttachment } from './QueuedAttachment.js';
import { isQueuedAttachment, targetKey } from './QueuedAttachment.js';
import { fingerprintOf, queueUrlStorage } from './queueUrlStorage.js';
import { sha256Hex } from './sha256Hex.js';

export interface AttachmentProgress {
  /** Files not yet on the server. */
  readonly pending: number;
  readonly bytesSent: number;
  readonly bytesTotal: number;
}

export interface AttachmentQueueOptions {
  readonly store: LocalStore;
  /** The server's origin, e.g. `https://outpost.example.org`; '' for the page's own origin. */
  readonly baseUrl: string;
  /** Auth headers for each request (CSRF token or device bearer token), read fresh every time. */
  readonly headers: () => Record<string, string>;
  /** Delays between tus retries of one upload, in ms. */
  readonly retryDelays?: readonly number[];
  /** Bytes per PATCH; a cut connection loses at most what the server had not yet written. */
  readonly chunkSize?: number;
  readonly fetch?: typeof fetch;
  readonly onProgress?: (progress: AttachmentProgress) => void;
  /** Seals the files while they wait (the vault's codec in the app); kept as they are by default. */
  readonly codec?: ValueCodec;
}

/** Where a queued file's bytes live, for a codec that binds values to their row. */
export function queuedFileContext(sha256: string): CodecContext {
  return { store: 'attachmentsQueue', key: sha256, field: 'blob' };
}

export interface AttachmentRunResult {
  readonly uploaded: number;
  readonly linked: number;
  /** Files that could not be sent this time; they stay queued (retry later) unless `final`. */
  readonly failed: readonly { sha256: string; code: string; detail: string; final: boolean }[];
}

export interface AttachmentQueue {
  /** Queues `blob` as `target.name` of submission `target.instanceId`; returns its SHA-256. */
  enqueue(blob: Blob, target: AttachmentTarget & { contentType?: string }): Promise<string>;
  /** Sends what is queued, one file at a time, resuming uploads a reload or a cut interrupted. */
  run(): Promise<AttachmentRunResult>;
  progress(): Promise<AttachmentProgress>;
  /** The queued file's bytes, or null once sent (a sent file drops them: the server has it). */
  read(sha256: string): Promise<Blob | null>;
}

const defaultRetryDelays = [1_000, 3_000, 10_000, 30_000];
const defaultChunkSize = 1024 * 1024;

class Refused extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly final: boolean,
  ) {
    super(`${code}: ${detail}`);
  }
}

async function problemOf(res: Response): Promise<{ code: string; detail: string }> {
  try {
    const body = (await res.json()) as { code?: unknown; detail?: unknown; title?: unknown };
    return {
      code: typeof body.code === 'string' ? body.code : `http.${res.status}`,
      detail: typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : '',
    };
  } catch {
    return { code: `http.${res.status}`, detail: res.statusText };
  }
}

/**
 * The device's attachment upload queue. Files are content-addressed: the same photo attached
 * twice is one queue entry and is sent once. For each target the server is first asked to link a
 * copy it already has for this user (no bytes sent); otherwise the file goes up with tus, resuming
 * from the server's offset after a cut or a reload (the upload URL lives in the queue row).
 */
export function createAttachmentQueue(options: AttachmentQueueOptions): AttachmentQueue {
  const { store } = options;
  const codec = options.codec ?? plainCodec;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const urlStorage = queueUrlStorage(store);
  let inFlight: { sha256: string; sent: number } | null = null;

  async function readRow(sha256: string): Promise<AttachmentQueueRow | undefined> {
    return store.transaction('readonly', ['attachmentsQueue'], (tx) => tx.get('attachmentsQueue', sha256));
  }

  async function change(sha256: string, fn: (row: AttachmentQueueRow, value: QueuedAttachment) => AttachmentQueueRow) {
    await store.transaction('readwrite', ['attachmentsQueue'], async (tx) => {
      const row = await tx.get('attachmentsQueue', sha256);
      if (row === undefined || !isQueuedAttachment(row.value)) return;
      await tx.put('attachmentsQueue', [fn(row, row.value)]);
    });
  }

  async function progress(): Promise<AttachmentProgress> {
    const rows = await store.transaction('readonly', ['attachmentsQueue'], (tx) => tx.list('attachmentsQueue'));
    const open = rows.filter((r) => r.state !== 'done');
    const sent = open.reduce(
      (n, r) => n + (inFlight?.sha256 === r.sha256 ? Math.max(inFlight.sent, r.offset) : r.offset),
      0,
    );
    return { pending: open.length, bytesSent: sent, bytesTotal: open.reduce((n, r) => n + r.bytes, 0) };
  }

  function report(): void {
    if (options.onProgress === undefined) return;
    const onProgress = options.onProgress;
    void progress().then(onProgress, () => undefined);
  }

  /** Asks the server to link a copy it already holds; true when linked, false when it needs the bytes. */
  async function link(sha256: string, bytes: number, contentType: string, target: AttachmentTarget): Promise<boolean> {
    const res = await doFetch(
      `${options.baseUrl}/api/v1/projects/${encodeURIComponent(target.projectId)}/attachments`,
      {
        method: 'POST',
        headers: { ...options.headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ instanceId: target.instanceId, name: target.name, sha256, bytes, contentType }),
      },
    );
    if (res.ok) return true;
    const problem = await problemOf(res);
    if (res.status === 404 && problem.code === 'attachment.not-found') return false;
    throw new Refused(
      problem.code,
      problem.detail,
      res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429,
    );
  }

  function upload(sha256: string, blob: Blob, contentType: string, target: AttachmentTarget): Promise<void> {
    return new Promise((resolve, reject) => {
      const tus = new Upload(blob, {
        endpoint: `${options.baseUrl}/api/v1/uploads`,
        metadata: {
          sha256,
          projectId: target.projectId,
          instanceId: target.instanceId,
          name: target.name,
          contentType,
        },
        uploadSize: blob.size,
        chunkSize: options.chunkSize ?? defaultChunkSize,
        retryDelays: [...(options.retryDelays ?? defaultRetryDelays)],
        fileReader: blobFileReader,
        urlStorage,
        fingerprint: () => Promise.resolve(fingerprintOf(sha256, target.instanceId, target.name)),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onBeforeRequest(req) {
          for (const [name, value] of Object.entries(options.headers())) req.setHeader(name, value);
        },
        onProgress(sent) {
          inFlight = { sha256, sent };
          report();
        },
        onChunkComplete(_size, accepted) {
          void change(sha256, (row) => ({ ...row, offset: accepted })).catch(() => undefined);
        },
        onSuccess: () => resolve(),
        onError(error) {
          const response = 'originalResponse' in error ? error.originalResponse : null;
          const status = response?.getStatus() ?? 0;
          if (status >= 400 && status < 500 && status !== 408 && status !== 429 && response !== null) {
            let body: { code?: string; detail?: string } = {};
            try {
              body = JSON.parse(response.getBody()) as { code?: string; detail?: string };
            } catch {
              // tus protocol errors answer in plain text.
            }
            reject(new Refused(body.code ?? `http.${status}`, body.detail ?? response.getBody(), true));
            return;
          }
          reject(new Refused('network', error.message, false));
        },
      });
      void tus.findPreviousUploads().then(
        (previous) => {
          const last = previous[previous.length - 1];
          if (last !== undefined) tus.resumeFromPreviousUpload(last);
          tus.start();
        },
        (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

  async function send(row: AttachmentQueueRow, value: QueuedAttachment): Promise<{ uploaded: number; linked: number }> {
    let uploaded = 0;
    let linked = 0;
    for (const target of value.targets) {
      const current = await readRow(row.sha256);
      if (current === undefined || !isQueuedAttachment(current.value)) return { uploaded, linked };
      if (current.value.linked.includes(targetKey(target))) continue;
      let done = await link(row.sha256, row.bytes, value.contentType, target);
      if (!done) {
        const sealed = current.value.blob;
        if (sealed === null) throw new Refused('attachment.missing', 'The file is no longer on this device.', true);
        const opened = await codec.open(sealed, queuedFileContext(row.sha256));
        const blob = opened instanceof Blob ? opened : new Blob([opened as BlobPart], { type: value.contentType });
        await upload(row.sha256, blob, value.contentType, target);
        uploaded += 1;
        done = true;
      } else {
        linked += 1;
      }
      await change(row.sha256, (r, v) => ({
        ...r,
        value: { ...v, linked: [...v.linked, targetKey(target)], problem: null },
      }));
    }
    await change(row.sha256, (r, v) =>
      v.targets.every((t) => v.linked.includes(targetKey(t)))
        ? { ...r, state: 'done', offset: r.bytes, value: { ...v, blob: null, upload: null } }
        : r,
    );
    return { uploaded, linked };
  }

  return {
    async enqueue(blob, target) {
      const sha256 = await sha256Hex(blob);
      const contentType = target.contentType ?? (blob.type || 'application/octet-stream');
      const place: AttachmentTarget = { projectId: target.projectId, instanceId: target.instanceId, name: target.name };
      // Sealed before the transaction: IndexedDB transactions cannot wait for WebCrypto.
      const sealed = await codec.seal(blob, queuedFileContext(sha256));
      await store.transaction('readwrite', ['attachmentsQueue'], async (tx) => {
        const row = await tx.get('attachmentsQueue', sha256);
        const existing = row !== undefined && isQueuedAttachment(row.value) ? row.value : null;
        const targets = existing?.targets ?? [];
        const known = targets.some((t) => targetKey(t) === targetKey(place));
        const value: QueuedAttachment = {
          kind: 'attachment',
          blob: existing?.blob ?? sealed,
          contentType: existing?.contentType ?? contentType,
          targets: known ? targets : [...targets, place],
          linked: existing?.linked ?? [],
          upload: existing?.upload ?? null,
          problem: existing?.problem ?? null,
        };
        await tx.put('attachmentsQueue', [
          {
            sha256,
            state: known && row?.state === 'done' ? 'done' : row?.state === 'uploading' ? 'uploading' : 'pending',
            offset: row?.offset ?? 0,
            bytes: blob.size,
            // A done entry dropped its bytes; a new target needs them again.
            value: known ? value : { ...value, blob: value.blob ?? sealed },
          },
        ]);
      });
      report();
      return sha256;
    },

    async run() {
      const rows = await store.transaction('readonly', ['attachmentsQueue'], (tx) => tx.list('attachmentsQueue'));
      let uploaded = 0;
      let linked = 0;
      const failed: { sha256: string; code: string; detail: string; final: boolean }[] = [];
      for (const row of rows) {
        if (row.state === 'done' || !isQueuedAttachment(row.value) || row.value.problem !== null) continue;
        try {
          const sent = await send(row, row.value);
          uploaded += sent.uploaded;
          linked += sent.linked;
        } catch (err) {
          const refused = err instanceof Refused ? err : new Refused('network', String(err), false);
          failed.push({ sha256: row.sha256, code: refused.code, detail: refused.detail, final: refused.final });
          if (refused.final) {
            await change(row.sha256, (r, v) => ({
              ...r,
              value: { ...v, problem: { code: refused.code, detail: refused.detail } },
            }));
          }
        } finally {
          inFlight = null;
          report();
        }
      }
      return { uploaded, linked, failed };
    },

    progress,

    async read(sha256) {
      const row = await readRow(sha256);
      if (row === undefined || !isQueuedAttachment(row.value) || row.value.blob === null) return null;
      const opened = await codec.open(row.value.blob, queuedFileContext(sha256));
      return opened instanceof Blob ? opened : new Blob([opened as BlobPart], { type: row.value.contentType });
    },
  };
}
