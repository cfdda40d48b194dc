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
