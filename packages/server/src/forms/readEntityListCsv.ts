import { ProblemError, formEntityLists, scopeFilter } from '@outpost/core';
import { catalogueFor, redactEntity } from '../policy/index.js';
import type { ProjectAccess } from '../policy/index.js';
import { listAreas } from '../storage/queries/areas.js';
import { allEntities } from '../storage/queries/entities.js';
import { findEntityListByName, listProjectFormVersions } from '../storage/queries/forms.js';
import type { StoredFormVersion } from '../storage/queries/forms.js';
import type { Store } from '../storage/store.js';
import { entityListCsv } from './entityListCsv.js';

/** The entity lists a form version reads as `jr://file-csv/<list>.csv`, in the order it names them. */
export function entityListsOf(version: StoredFormVersion): string[] {
  const names: string[] = [];
  for (const match of version.xform.matchAll(/"jr:\/\/file-csv\/([A-Za-z_][A-Za-z0-9_.-]*)\.csv"/g)) {
    if (match[1] !== undefined && !names.includes(match[1])) names.push(match[1]);
  }
  return names;
}

/**
 * Attachment `name` of a form version as the reader may see it: the entity list's CSV, its rows
 * filtered by the reader's scope and redacted as the cases API does (a form's choice list is a
 * read). The one code path behind the app's form attachments and OpenRosa's media files.
 */
export async function readEntityListCsv(
  access: ProjectAccess,
  version: StoredFormVersion,
  name: string,
  store: Store,
): Promise<string> {
  const { project } = access;
  // Only what the form asks for: an entity list it reads as jr://file-csv/<list>.csv.
  const listName = /^([A-Za-z_][A-Za-z0-9_.-]*)\.csv$/.exec(name)?.[1];
  if (listName === undefined || !entityListsOf(version).includes(listName)) {
    throw new ProblemError('form.not-found', `This form version has no attachment "${name}".`);
  }
  const list = await findEntityListByName(project.id, listName, store);
  const summaries = (await listProjectFormVersions(project.id, store)).map((v) => v.summary);
  if (list === undefined && !summaries.some((s) => formEntityLists(s).some((l) => l.dataset === listName))) {
    // A static CSV (select_one_from_file of an uploaded file): form media are not stored yet.
    throw new ProblemError('form.not-found', `"${name}" is not an entity list of this project.`);
  }
  const scope = scopeFilter(access.actor, project.id, { action: 'cases.read', recordKind: 'entity' });
  const catalogue = await catalogueFor(project.id, store);
  const rows = list === undefined ? [] : await allEntities(project.id, { listName, scope }, store);
  const areaNames = new Map((await listAreas(project.id, null, store)).map((a) => [a.id, a.names]));
  const entities = rows.map((e) => {
    const view = redactEntity(access.actor, e, e.area_path, catalogue);
    // The area as far as the reader is shown it: a coarsened path ends higher up.
    const area = view.areaPath
      ?.split('/')
      .filter((s) => s !== '')
      .pop();
    return {
      id: e.id,
      label: view.label,
      version: Number(e.version),
      properties: view.properties,
      areaNames: area === undefined ? null : (areaNames.get(area) ?? null),
    };
  });
  return entityListCsv(listName, summaries, entities);
}
