import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { publishForm } from '../forms/publishForm.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { findForm } from '../storage/queries/forms.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';

const registration = new URL(
  '../../../../templates/mongolia-social-protection/forms/household_registration.xlsx',
  import.meta.url,
);

export interface ExportFixture {
  store: Store;
  projectId: string;
  /** The stored id of the published household registration form. */
  formId: string;
  /** Closes the store and removes its folder. */
  close(): Promise<void>;
}

/**
 * A SQLite store in a fresh temporary folder with one project (Bayanzürkh, three areas down to a
 * khoroo) and the Mongolia template's household registration form published, no submissions.
 */
export async function openExportFixture(folderPrefix: string): Promise<ExportFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), folderPrefix));
  const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  const project = await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store);
  await upsertAreas(
    project.id,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { mn: 'Улаанбаатар' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { mn: 'Баянзүрх' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { mn: '1-р хороо' } },
    ],
    store,
  );
  const published = await publishForm(
    {
      projectId: project.id,
      fileName: 'household_registration.xlsx',
      bytes: readFileSync(registration),
      actorId: null,
    },
    store,
  );
  if (!published.ok) throw new Error(JSON.stringify(published));
  const form = await findForm(project.id, published.form.formId, store);
  if (form === undefined) throw new Error('no form');
  return {
    store,
    projectId: project.id,
    formId: form.id,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
