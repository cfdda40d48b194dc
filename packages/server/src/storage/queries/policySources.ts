import { keptRead, writeHeldBack } from '../store.js';
import { areaWritesCounter } from './areas.js';
import type { Store } from '../store.js';

/** The stored policy text of these projects (all projects with one when `projectIds` is null). */
export async function projectPolicyTexts(
  projectIds: readonly string[] | null,
  store: Store,
): Promise<{ id: string; policy: string | null }[]> {
  if (projectIds !== null && projectIds.length === 0) return [];
  let query = store.db
    .selectFrom('projects')
    .select(['projects.id', 'projects.policy'])
    .where('projects.policy', 'is not', null);
  if (projectIds !== null) query = query.where('projects.id', 'in', [...projectIds]);
  return query.execute();
}

export async function setProjectPolicyText(projectId: string, text: string | null, store: Store): Promise<void> {
  await store.db.updateTable('projects').set({ policy: text }).where('id', '=', projectId).execute();
}

/**
 * What a project's policy catalogue is built from changes only when a form version is published
 * or the areas change: the version ids, and the areas' count, latest list version and writes say when.
 */
export async function catalogueStamp(projectId: string, store: Store): Promise<string> {
  return keptRead(store, `catalogueStamp|${projectId}`, () => readCatalogueStamp(projectId, store));
}

async function readCatalogueStamp(projectId: string, store: Store): Promise<string> {
  const versions = await store.db
    .selectFrom('form_versions')
    .innerJoin('forms', 'forms.id', 'form_versions.form_id')
    .select('form_versions.id')
    .where('forms.project_id', '=', projectId)
    .orderBy('form_versions.id')
    .execute();
  // The area writes counter is read: a transaction that wrote areas has its count written first.
  await writeHeldBack(store);
  const areaStamp = await store.db
    .selectFrom('areas')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('list_version').as('latest'),
      eb.selectFrom('counters').select('value').where('name', '=', areaWritesCounter(projectId)).as('writes'),
    ])
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return `${projectId}|${versions.map((v) => v.id).join(',')}|${Number(areaStamp?.n ?? 0)}|${String(areaStamp?.latest ?? '')}|${Number(areaStamp?.writes ?? 0)}`;
}

/** The summaries and XForms of every version of the project's forms, and its areas. */
export async function catalogueSources(
  projectId: string,
  store: Store,
): Promise<{
  versions: { summary: string; xform: string }[];
  areas: { id: string; code: string; level: string; names: string; path: string }[];
}> {
  const versions = await store.db
    .selectFrom('form_versions')
    .innerJoin('forms', 'forms.id', 'form_versions.form_id')
    .select(['form_versions.summary', 'form_versions.xform'])
    .where('forms.project_id', '=', projectId)
    .execute();
  const areas = await store.db
    .selectFrom('areas')
    .select(['id', 'code', 'level', 'names', 'path'])
    .where('project_id', '=', projectId)
    .execute();
  return { versions, areas };
}
