import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '@outpost/server';
import { describeIssue, publishForm } from '@outpost/server';
import { templateFileUrl, templates } from '@outpost/templates';
import { CliError } from '../io.js';

/**
 * Publishes every XLSForm of a template in its project, through the same `publishForm` an upload
 * uses. A version already published with the same content is left as it is, so this may run again
 * on a seeded project (it then publishes only what is missing). Returns how many versions it added.
 */
export async function publishTemplateForms(name: string, projectId: string, store: Store): Promise<number> {
  const template = templates[name];
  if (!template) throw new CliError(`unknown template "${name}"`);
  let published = 0;
  for (const form of template.forms) {
    const fileName = path.basename(form.file);
    const bytes = new Uint8Array(await readFile(templateFileUrl(form.file)));
    // The project's own forms: a busy machine may take longer than an upload is allowed.
    const result = await publishForm({ projectId, fileName, bytes, actorId: null, compileTimeLimitMs: 180_000 }, store);
    if (result.ok) {
      if (result.form.created) published += 1;
      continue;
    }
    if (result.code === 'form.version-exists') continue; // an administrator published their own edit
    const first = result.code === 'form.invalid' ? result.errors[0] : undefined;
    const why = first === undefined ? result.detail : describeIssue(fileName, first);
    throw new CliError(`template ${name}: form ${form.formId} cannot be published: ${why}`);
  }
  return published;
}
