import type { CompileIssue, FormSummary } from '@outpost/core';
import { appendAuditEvent } from '../storage/queries/audit.js';
import { ensureForm, findFormVersion, insertFormVersion } from '../storage/queries/forms.js';
import { findProjectById } from '../storage/queries/projects.js';
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
}

export type PublishResult =
  | { ok: true; form: PublishedForm }
  | { ok: false; code: 'form.invalid'; detail: string; errors: CompileIssue[] }
  | {
      ok: false;
      code: 'form.version-exists' | 'project.not-found' | 'form.too-large' | 'form.too-complex';
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
