import { createSignal, type Accessor } from 'solid-js';
import { createAttachmentQueue, type AttachmentQueue } from '../attachments/createAttachmentQueue.js';
import type { InstanceAttachment } from '../forms/openForm.js';
import { createDraftStore, type DraftStore } from '../forms/drafts.js';
import { createIndexedDbStore } from '../store/indexedDbStore.js';
import type { LocalStore } from '../store/LocalStore.js';
import { saveRecord } from '../store/saveRecord.js';
import { plainCodec, type ValueCodec } from '../store/ValueCodec.js';
import { httpChangeStream } from '../sync/changeStream.js';
import { createHttpSyncApi } from '../sync/createHttpSyncApi.js';
import { createSyncEngine, type SyncClock, type SyncEngine } from '../sync/createSyncEngine.js';
import { submissionFor } from '../sync/submissionFor.js';
import { SyncFailure } from '../sync/SyncFailure.js';
import type { SyncStatus } from '../sync/SyncStatus.js';
import type { Transport } from '../transport/createTransport.js';

/** A finalized form as the fill screen hands it over. */
export interface FinalizedForm {
  readonly projectId: string;
  readonly formId: string;
  readonly version: string;
  readonly instanceId: string;
  readonly xml: string;
  readonly attachments: readonly InstanceAttachment[];
  /** The XForm it was filled in, so the device shows the case as the answers left it. */
  readonly xform?: string;
}

/** Everything about this device's data for one signed-in user. */
export interface DeviceSync {
  readonly store: LocalStore;
  readonly codec: ValueCodec;
  readonly drafts: DraftStore;
  readonly engine: SyncEngine;
  readonly status: Accessor<SyncStatus>;
  /** Changes whenever the device's records or outbox may have changed: lists re-read on it. */
  readonly revision: Accessor<number>;
  /**
   * Keeps a finalized form on the device: photos into the upload queue, then the record and its
   * outbox entry in one transaction; then asks for a sync. Works offline.
   */
  saveFinalized(form: FinalizedForm): Promise<{ readonly seq: number }>;
  /**
   * Sends files of an instance now, through the same upload queue (an edit, sent at once): queued
   * first, so a cut connection resumes; fails when one of them could not be sent.
   */
  sendFiles(projectId: string, instanceId: string, files: readonly InstanceAttachment[]): Promise<void>;
  /** A file still waiting in the upload queue, or null once it was sent (its bytes dropped). */
  queuedFile(sha256: string): Promise<Blob | null>;
  dispose(): Promise<void>;
}

export interface DeviceSyncOptions {
  /** The app's one transport: the same credentials and CSRF token as every other request. */
  readonly transport: Transport;
  readonly userId: string;
  /** The server ordered this device wiped, and it was: back to the sign-in screen. */
  readonly onWiped: () => void;
  readonly codec?: ValueCodec;
  readonly store?: LocalStore;
  /** Drafts of this user, sealed like the store. */
  readonly drafts?: DraftStore;
  /** The device's server id and token (Authorization: Bearer); the session cookie is used without. */
  readonly deviceId?: string | null;
  readonly deviceToken?: string | null;
  /** Erases the device when the server orders it; the store and wipeDevice() by default. */
  readonly wipe?: () => Promise<void>;
}

const browserClock: SyncClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The device database of one user: another user signing in on the same tablet never pushes their outbox. */
export function deviceStoreName(userId: string): string {
  return `outpost-${userId}`;
}

export function createDeviceSync(options: DeviceSyncOptions): DeviceSync {
  const store = options.store ?? createIndexedDbStore(deviceStoreName(options.userId));
  const codec = options.codec ?? plainCodec;
  const drafts = options.drafts ?? createDraftStore({ codec });
  const token = options.deviceToken ?? null;
  const { transport } = options;
  const queue: AttachmentQueue = createAttachmentQueue({
    store,
    codec,
    baseUrl: '',
    headers: () => ({ ...transport.currentCredentials() }),
  });
  const serverDeviceId = options.deviceId ?? null;
  const engine = createSyncEngine({
    store,
    codec,
    api: createHttpSyncApi({ transport }),
    // Told by the server when a case changed, through whichever server process this device reached.
    changes: httpChangeStream({
      headers: () => ({ ...transport.currentCredentials() }),
      isOnline: () => navigator.onLine,
    }),
    // With a device token the server knows this device by its own id, and checks it.
    ...(token !== null && serverDeviceId !== null ? { deviceId: async () => serverDeviceId } : {}),
    ...(options.wipe === undefined ? {} : { wipe: options.wipe }),
    clock: browserClock,
    random: Math.random,
    uploadAttachments: async () => {
      // Headers are read synchronously by the queue: make sure a CSRF token is at hand.
      await transport.credentials({ refresh: false });
      const result = await queue.run();
      const failure = result.failed.find((f) => !f.final) ?? result.failed[0];
      if (failure !== undefined) {
        throw new SyncFailure({ status: failure.final ? 422 : 0, code: failure.code, detail: failure.detail });
      }
    },
    onWiped: options.onWiped,
  });

  const [status, setStatus] = createSignal<SyncStatus>(engine.status());
  const [revision, setRevision] = createSignal(0);
  const bump = (): void => {
    setRevision((n) => n + 1);
  };
  let previous = engine.status();
  engine.subscribe((next) => {
    const before = previous;
    previous = next;
    setStatus(next);
    if (
      before.phase !== next.phase ||
      before.pending !== next.pending ||
      before.rejected !== next.rejected ||
      before.lastSuccessAt !== next.lastSuccessAt ||
      before.progress?.recordsDone !== next.progress?.recordsDone
    ) {
      bump();
    }
  });
  engine.start();

  return {
    store,
    codec,
    drafts,
    engine,
    status,
    revision,
    async saveFinalized(form) {
      const attachments = await Promise.all(
        form.attachments.map(async (file) => {
          const blob = new Blob([file.bytes], { type: file.type });
          const sha256 = await queue.enqueue(blob, {
            projectId: form.projectId,
            instanceId: form.instanceId,
            name: file.name,
            contentType: file.type,
          });
          return { name: file.name, sha256, bytes: blob.size };
        }),
      );
      const { item, record, others } = submissionFor(
        {
          projectId: form.projectId,
          formId: form.formId,
          formVersion: form.version,
          instanceId: form.instanceId,
          xml: form.xml,
          attachments,
          ...(form.xform === undefined ? {} : { xform: form.xform }),
        },
        new Date(),
      );
      const saved = await saveRecord(store, record, item, { codec, others });
      bump();
      void engine.refresh().then(() => engine.syncNow());
      return saved;
    },
    async sendFiles(projectId, instanceId, files) {
      const hashes = await Promise.all(
        files.map((file) =>
          queue.enqueue(new Blob([file.bytes], { type: file.type }), {
            projectId,
            instanceId,
            name: file.name,
            contentType: file.type,
          }),
        ),
      );
      await transport.credentials({ refresh: false });
      const result = await queue.run();
      const failure = result.failed.find((f) => hashes.includes(f.sha256));
      if (failure !== undefined) {
        throw new SyncFailure({ status: failure.final ? 422 : 0, code: failure.code, detail: failure.detail });
      }
    },
    queuedFile: (sha256) => queue.read(sha256),
    async dispose() {
      engine.stop();
      // A store handed in belongs to the caller (the session), which closes it when it locks.
      if (options.store === undefined) await store.close();
      if (options.drafts === undefined) drafts.close();
    },
  };
}
