import type { CompileIssue, FormSummary } from '@outpost/core';
import { formEntityLists } from '@outpost/core';
import { appendAuditEvent } from '../storage/queries/audit.js';
import {
  ensureForm,
  findEntityListByName,
  findFormVersion,
  insertFormVersion,
  listProjectFormVersions,
} from '../storage/queries/forms.js';
import { findProjectById } from '../storage/queries/projects.js';
import { findFormMedia, insertFormMedia, listFormMedia } from '../storage/queries/formMedia.js';
import type { BlobStore } from '../attachments/BlobStore.js';
import { checkMedia, expectedMedia, storeMediaBlobs } from './formMedia.js';
import type { MediaUpload, PreparedMedia } from './formMedia.js';
import { isUniqueViolation } from '../storage/store.js';
import type { Store } from '../storage/store.js';
import { compileInWorker } from './compileInWorker.js';

export interface PublishInput {
  projectId: string;
  /** The uploaded file's name; its stem is the form id when the settings sheet names none. */
  fileName: string;
  bytes: Uint8Array;
  /** The publishing user; null for the command line. */
  actorId: string | null;
  at?: string;
  /**
   * How long compiling may take. Uploads keep the default bound; the project's own template forms
   * (seeding) may wait longer, so a busy machine does not refuse the demo at start-up.
   */
  compileTimeLimitMs?: number;
  /** Files the XForm names as `jr://images/…`, `jr://file/…` and so on (none when absent). */
  media?: readonly MediaUpload[];
  /** Where media bytes go; needed only when `media` has files. */
  blobs?: BlobStore;
}

export interface PublishedForm {
  /** The form's `form_id`. */
  formId: string;
  title: string;
  version: string;
  formVersionId: string;
  publishedAt: string;
  /** False when this exact version had been published before (nothing new stored). */
  created: boolean;
  warnings: CompileIssue[];
  /** Media the form names that are not stored with this version (published anyway, as Central does). */
  missingMedia: string[];
  /** Every media file stored with this version after this publish, by name. */
  storedMedia: string[];
}

export type PublishResult =
  | { ok: true; form: PublishedForm }
  | { ok: false; code: 'form.invalid'; detail: string; errors: CompileIssue[] }
  | {
      ok: false;
      code:
        | 'form.version-exists'
        | 'project.not-found'
        | 'form.too-large'
        | 'form.too-complex'
        | 'form.media-unexpected'
        | 'form.media-too-large';
      detail: string;
    };

/** `FILE: sheet sheet, row N, column "header" (L): message`, as form authors read it. */
export function describeIssue(fileName: string, issue: CompileIssue): string {
  const where = [
    issue.sheet === '' ? null : `${issue.sheet} sheet`,
    issue.row === null ? null : `row ${issue.row}`,
    issue.column === null ? null : `column ${issue.column}`,
  ].filter((part): part is string => part !== null);
  const located = where.join(', ');
  // The compiler's messages usually start with the location already.
  if (located === '' || issue.message.startsWith(located)) return `${fileName}: ${issue.message}`;
  return `${fileName}: ${located}: ${issue.message}`;
}

export type PreparedForm =
  | { ok: true; xform: string; summary: FormSummary; warnings: CompileIssue[] }
  | { ok: false; code: 'form.invalid'; detail: string; errors: CompileIssue[] }
  | { ok: false; code: 'form.too-large' | 'form.too-complex'; detail: string };

/**
 * Everything publishing checks before it stores: the workbook is within bounds, compiles and the
 * ODK engine loads the XForm, all off the event loop (compileInWorker). The dry run (`checkForm`)
 * and `publishForm` both come through here.
 */
export async function prepareForm(
  fileName: string,
  bytes: Uint8Array,
  limits: { timeLimitMs?: number } = {},
): Promise<PreparedForm> {
  const compiled = await compileInWorker(fileName, bytes, limits);
  if (!compiled.ok) {
    if (compiled.code !== 'form.invalid') return { ok: false, code: compiled.code, detail: compiled.detail };
    const first = compiled.errors[0];
    return {
      ok: false,
      code: 'form.invalid',
      detail: `${compiled.errors.length} error(s)${first ? `; first: ${describeIssue(fileName, first)}` : ''}`,
      errors: compiled.errors,
    };
  }
  return { ok: true, xform: compiled.xform, summary: compiled.form, warnings: compiled.warnings };
}

/**
 * Compiles an uploaded XLSForm and stores it as a new version of its form (created on first
 * publish). Publishing the same version with the same content again changes nothing; the same
 * version with other content is refused, because devices may already hold the first one.
 */
export async function publishForm(input: PublishInput, store: Store): Promise<PublishResult> {
  const project = await findProjectById(input.projectId, store);
  if (!project) return { ok: false, code: 'project.not-found', detail: 'No such project.' };
  const compiled = await prepareForm(
    input.fileName,
    input.bytes,
    input.compileTimeLimitMs === undefined ? {} : { timeLimitMs: input.compileTimeLimitMs },
  );
  if (!compiled.ok) return compiled;
  const { summary, xform } = compiled;
  const lists = await serverBuiltLists(
    project.id,
    xform,
    formEntityLists(summary).map((l) => l.dataset),
    store,
  );
  const checked = checkMedia(input.media ?? [], expectedMedia(xform), lists);
  if (!checked.ok) return checked;
  if (checked.media.length > 0) {
    if (input.blobs === undefined) throw new Error('publishForm: media given without a blob store');
    await storeMediaBlobs(checked.media, input.blobs);
  }
  const at = input.at ?? new Date().toISOString();
  const attempt = () =>
    store.transaction(async (tx): Promise<PublishResult> => {
      const form = await ensureForm({ projectId: project.id, xmlFormId: summary.formId, title: summary.title, at }, tx);
      const existing = await findFormVersion(project.id, summary.formId, summary.version, tx);
      if (existing !== undefined) {
        if (existing.xform !== xform) {
          return {
            ok: false,
            code: 'form.version-exists',
            detail: `${summary.formId} already has version "${summary.version}" with other content; raise the version in the settings sheet.`,
          };
        }
        // Media missing at first publish may be given later with the same workbook.
        const clash = await addMedia(existing.id, checked.media, tx);
        if (clash !== null) {
          return {
            ok: false,
            code: 'form.version-exists',
            detail: `${summary.formId} version "${summary.version}" already has a media file "${clash}" with other content; raise the version in the settings sheet.`,
          };
        }
        const stored = new Set(checked.media.map((m) => m.name));
        return {
          ok: true,
          form: {
            formId: summary.formId,
            title: existing.summary.title,
            version: existing.version,
            formVersionId: existing.id,
            publishedAt: existing.publishedAt,
            created: false,
            warnings: compiled.warnings,
            missingMedia: await stillMissing(existing.id, checked.missing, stored, tx),
            storedMedia: (await listFormMedia(existing.id, tx)).map((m) => m.name),
          },
        };
      }
      const formVersionId = await insertFormVersion(
        {
          formId: form.id,
          version: summary.version,
          xlsform: input.bytes,
          xform,
          summary,
          publishedBy: input.actorId,
          at,
        },
        tx,
      );
      await addMedia(formVersionId, checked.media, tx);
      await appendAuditEvent(
        {
          actorId: input.actorId,
          action: 'form.published',
          subject: formVersionId,
          details: { projectId: project.id, formId: summary.formId, version: summary.version },
          at,
        },
        tx,
      );
      return {
        ok: true,
        form: {
          formId: summary.formId,
          title: summary.title,
          version: summary.version,
          formVersionId,
          publishedAt: at,
          created: true,
          warnings: compiled.warnings,
          missingMedia: checked.missing,
          storedMedia: checked.media.map((m) => m.name).sort(),
        },
      };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two uploads of the same new version at once: the loser sees the winner's row.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  }
}

/**
 * The media files a compiled form expects an administrator to give (the entity lists the server
 * builds itself left out), and those already stored with `formVersionId` when it is published.
 */
export async function expectedUploads(
  projectId: string,
  prepared: { xform: string; summary: FormSummary },
  formVersionId: string | null,
  store: Store,
): Promise<{ expected: string[]; stored: string[] }> {
  const lists = await serverBuiltLists(
    projectId,
    prepared.xform,
    formEntityLists(prepared.summary).map((l) => l.dataset),
    store,
  );
  return {
    expected: expectedMedia(prepared.xform).filter((name) => !lists.has(name)),
    stored: formVersionId === null ? [] : (await listFormMedia(formVersionId, store)).map((m) => m.name),
  };
}

/** The `jr://file-csv/` names the server builds itself: the project's entity lists. */
async function serverBuiltLists(
  projectId: string,
  xform: string,
  ownDatasets: readonly string[],
  store: Store,
): Promise<Set<string>> {
  const declared = new Set(
    (await listProjectFormVersions(projectId, store)).flatMap((v) => formEntityLists(v.summary).map((l) => l.dataset)),
  );
  const served = new Set<string>();
  for (const match of xform.matchAll(/jr:\/\/file-csv\/([^"'<>\s/]+)\.csv/g)) {
    const list = match[1] ?? '';
    if (ownDatasets.includes(list) || declared.has(list) || (await findEntityListByName(projectId, list, store))) {
      served.add(`${list}.csv`);
    }
  }
  return served;
}

/** Stores media rows not there yet; returns the name of one stored with other content, if any. */
async function addMedia(formVersionId: string, media: readonly PreparedMedia[], store: Store): Promise<string | null> {
  for (const m of media) {
    const existing = await findFormMedia(formVersionId, m.name, store);
    if (existing !== undefined) {
      if (existing.sha256 !== m.sha256) return m.name;
      continue;
    }
    await insertFormMedia(
      {
        form_version_id: formVersionId,
        name: m.name,
        sha256: m.sha256,
        md5: m.md5,
        bytes: m.bytes,
        content_type: m.contentType,
      },
      store,
    );
  }
  return null;
}

/** The expected media still not stored with a version after this publish. */
async function stillMissing(
  formVersionId: string,
  missing: readonly string[],
  given: ReadonlySet<string>,
  store: Store,
): Promise<string[]> {
  const left: string[] = [];
  for (const name of missing) {
    if (given.has(name)) continue;
    if ((await findFormMedia(formVersionId, name, store)) === undefined) left.push(name);
  }
  return left;
}
