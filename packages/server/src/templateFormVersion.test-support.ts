import { readFileSync } from 'node:fs';

// The version each template form is published at, from the list templates/form-versions.json keeps
// (checked against the forms by templates/src/formVersions.test.ts), so tests that submit to a
// template form follow its version instead of repeating it.
const list = JSON.parse(
  readFileSync(new URL('../../../templates/form-versions.json', import.meta.url), 'utf8'),
) as Record<string, { version: string }>;

/** The published version of a template form, e.g. `templateFormVersion('mn_visit')`. */
export function templateFormVersion(formId: string): string {
  const entry = list[formId];
  if (entry === undefined) throw new Error(`${formId} is not a template form (templates/form-versions.json)`);
  return entry.version;
}
