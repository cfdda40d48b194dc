import type { LocalStore } from '../store/LocalStore.js';
import { overlayDeviceEdits } from '../sync/entityListOverlay.js';
import { listDeviceRecords } from '../sync/listDeviceRecords.js';
import type { CodecContext, ValueCodec } from '../store/ValueCodec.js';
import { ApiProblem } from '../transport/ApiProblem.js';
import type { CaseHistoryEntry, FormSummary, OutpostApi, ProjectSummary } from './OutpostApi.js';

/** Where the offline copies go: the signed-in user's device store, sealed by its codec. */
export interface OfflineCache {
  readonly store: LocalStore;
  readonly codec: ValueCodec;
}

const keys = {
  projects: () => 'cache.projects',
  forms: (projectId: string) => `cache.forms:${projectId}`,
  xml: (projectId: string, formId: string, version: string) => `cache.xml:${projectId}/${formId}/${version}`,
  file: (projectId: string, formId: string, version: string, name: string) =>
    `cache.file:${projectId}/${formId}/${version}/${name}`,
  history: (projectId: string, caseId: string) => `cache.history:${projectId}/${caseId}`,
};

const context = (key: string): CodecContext => ({ store: 'meta', key });

async function read(cache: OfflineCache, key: string): Promise<unknown> {
  const row = await cache.store.transaction('readonly', ['meta'], (tx) => tx.get('meta', key));
  return row === undefined ? undefined : cache.codec.open(row.value, context(key));
}

async function write(cache: OfflineCache, key: string, value: unknown): Promise<void> {
  const sealed = await cache.codec.seal(value, context(key));
  await cache.store.transaction('readwrite', ['meta'], (tx) => tx.put('meta', [{ key, value: sealed }]));
}

/** No answer at all (offline, server down): the kept copy stands in. A server's "no" does not. */
function unanswered(error: unknown): boolean {
  return error instanceof ApiProblem && (error.status === 0 || error.status >= 500);
}

/**
 * The app's API with offline copies of what a form needs: the project list, each project's form
 * list, the XForms and their attachments (entity list CSVs), and the timeline of each case opened. Every answer is kept, sealed, in the
 * signed-in user's device store; when the server cannot be reached the kept copy is answered. A
 * form version never changes, so its XForm is read from the device first. Without a cache (nobody
 * unlocked) it is the plain API.
 */
export function createOfflineApi(api: OutpostApi, cache: () => OfflineCache | null): OutpostApi {
  async function networkFirst<T>(
    key: string,
    fetch: () => Promise<T>,
    accept: (value: unknown) => value is T,
  ): Promise<T> {
    const target = cache();
    try {
      const value = await fetch();
      if (target !== null) await write(target, key, value).catch(() => undefined);
      return value;
    } catch (error) {
      if (target === null || !unanswered(error)) throw error;
      const kept = await read(target, key).catch(() => undefined);
      if (accept(kept)) return kept;
      throw error;
    }
  }

  return {
    ...api,
    listProjects: () => networkFirst(keys.projects(), () => api.listProjects(), isArray<ProjectSummary>),
    listForms: (projectId) => networkFirst(keys.forms(projectId), () => api.listForms(projectId), isArray<FormSummary>),
    // The timeline as last seen online, so a case page opened in the field still shows its visits.
    getCaseHistory: (projectId, caseId) =>
      networkFirst(
        keys.history(projectId, caseId),
        () => api.getCaseHistory(projectId, caseId),
        isArray<CaseHistoryEntry>,
      ),
    async getFormXml(projectId, formId, version) {
      const key = keys.xml(projectId, formId, version);
      const target = cache();
      if (target !== null) {
        const kept = await read(target, key).catch(() => undefined);
        if (typeof kept === 'string') return kept;
      }
      return networkFirst(key, () => api.getFormXml(projectId, formId, version), isString);
    },
    async getFormAttachment(projectId, formId, version, name) {
      const blob = await networkFirst(
        keys.file(projectId, formId, version, name),
        () => api.getFormAttachment(projectId, formId, version, name),
        isBlob,
      );
      const target = cache();
      const listName = /^(.+)\.csv$/.exec(name)?.[1];
      if (target === null || listName === undefined) return blob;
      // The entity list as this device knows it: its own edits not yet back from the server on top.
      const records = await listDeviceRecords(target.store, { codec: target.codec, projectId });
      return new Blob([overlayDeviceEdits(await blob.text(), listName, records)], { type: blob.type });
    },
  };
}

/** The attachments an XForm refers to (`jr://file/…`, `jr://file-csv/…`), by file name. */
export function formAttachmentNames(xml: string): string[] {
  const names = new Set<string>();
  for (const match of xml.matchAll(/jr:\/\/file(?:-csv)?\/([^"'<>\s]+)/g)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names];
}

/**
 * Fetches (and so keeps) every form the user may fill, with its attachments, so that each one opens
 * with no network later. Stops at the first failure: the next call tries again.
 */
export async function prefetchForms(api: OutpostApi): Promise<{ readonly forms: number; readonly files: number }> {
  let forms = 0;
  let files = 0;
  for (const project of await api.listProjects()) {
    for (const form of await api.listForms(project.id)) {
      const xml = await api.getFormXml(project.id, form.formId, form.version);
      forms += 1;
      for (const name of formAttachmentNames(xml)) {
        await api.getFormAttachment(project.id, form.formId, form.version, name);
        files += 1;
      }
    }
  }
  return { forms, files };
}

function isArray<T>(value: unknown): value is readonly T[] {
  return Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}
