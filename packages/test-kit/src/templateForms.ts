import { readFileSync } from 'node:fs';
import path from 'node:path';
import { forceProcessBacklog, publishForm, upsertAreas } from '@outpost/server';
import type { Store } from '@outpost/server';

// The template forms as a test server holds them: published from the workbooks the templates ship,
// at the versions templates/form-versions.json lists (checked against the forms by
// templates/src/formVersions.test.ts).
// A path, not a URL: under jsdom the global URL is not the one node:fs accepts.
const templatesDir = path.resolve(import.meta.dirname, '../../../templates');
const versions = JSON.parse(readFileSync(path.join(templatesDir, 'form-versions.json'), 'utf8')) as Record<
  string,
  { version: string }
>;

/** The published version of a template form, e.g. `templateFormVersion('mn_visit')`. */
export function templateFormVersion(formId: string): string {
  const entry = versions[formId];
  if (entry === undefined) throw new Error(`${formId} is not a template form (templates/form-versions.json)`);
  return entry.version;
}

/**
 * Publishes Mongolia's household registration and visit forms in the project and adds the areas
 * their answers place a case in (Ulaanbaatar → Bayanzürkh → khoroo 1, codes MN11, MN1110, MN111051).
 */
export async function seedMongoliaCaseForms(server: { store: Store; projectId: string }): Promise<void> {
  const { store, projectId } = server;
  await upsertAreas(
    projectId,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
    ],
    store,
  );
  for (const file of ['household_registration', 'visit']) {
    const bytes = readFileSync(path.join(templatesDir, `mongolia-social-protection/forms/${file}.xlsx`));
    const published = await publishForm({ projectId, fileName: `${file}.xlsx`, bytes, actorId: null }, store);
    if (!published.ok) throw new Error(`publishing ${file} failed`);
  }
}

/**
 * Forces every held entity change now, as five days passing or `outpost entities process-backlog
 * --force` would.
 */
export async function forceBacklogNow(server: { store: Store }): Promise<number> {
  return forceProcessBacklog({ now: new Date(), delayMs: 0, limit: 10_000 }, server.store);
}
