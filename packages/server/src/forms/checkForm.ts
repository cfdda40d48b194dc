import type { CompileIssue } from '@outpost/core';
import { findForm, findFormVersion, listFormVersions } from '../storage/queries/forms.js';
import type { Store } from '../storage/store.js';
import type { FormDiff } from './formDiff.js';
import { diffForms } from './formDiff.js';
import { expectedUploads, prepareForm } from './publishForm.js';

/**
 * What publishing this version would do: `new` stores it, `published` finds it already there
 * (nothing changes), `conflict` is refused (`form.version-exists`: same version, other content).
 */
export type PublishOutcome = 'new' | 'published' | 'conflict';

export interface FormCheck {
  formId: string;
  title: string;
  version: string;
  warnings: CompileIssue[];
  outcome: PublishOutcome;
  /** Against the newest published version of the same form_id (a conflict: against that version). */
  diff: FormDiff;
  /**
   * The media files the form names that an administrator gives (entity lists the server builds are
   * left out), and those already stored with this version when it is published (`outcome` `published`).
   */
  media: { expected: string[]; stored: string[] };
}

export type CheckResult =
  | { ok: true; check: FormCheck }
  | { ok: false; code: 'form.invalid'; detail: string; errors: CompileIssue[] }
  | { ok: false; code: 'form.too-large' | 'form.too-complex'; detail: string };

/**
 * The dry run of publishing: the same checks `publishForm` makes (through `prepareForm`), and the
 * differences from the form's newest published version. Reads only; stores nothing.
 */
export async function checkForm(
  input: { projectId: string; fileName: string; bytes: Uint8Array },
  store: Store,
): Promise<CheckResult> {
  const prepared = await prepareForm(input.fileName, input.bytes);
  if (!prepared.ok) return prepared;
  const { summary, xform, warnings } = prepared;
  const same = await findFormVersion(input.projectId, summary.formId, summary.version, store);
  const form = same === undefined ? await findForm(input.projectId, summary.formId, store) : undefined;
  const latest = form === undefined ? undefined : (await listFormVersions(form.id, store))[0];
  const previous = same ?? latest ?? null;
  const outcome: PublishOutcome = same === undefined ? 'new' : same.xform === xform ? 'published' : 'conflict';
  const media = await expectedUploads(
    input.projectId,
    prepared,
    outcome === 'published' ? (same?.id ?? null) : null,
    store,
  );
  return {
    ok: true,
    check: {
      formId: summary.formId,
      title: summary.title,
      version: summary.version,
      warnings,
      outcome,
      diff: diffForms(previous, { summary, xform }),
      media,
    },
  };
}
