import { CaseIndex, formEntityLists, parseQuery, searchSchemaFromFields, withFilters } from '@outpost/core';
import type { CaseQuery, FieldInfo, ScopeFilter, SearchHit } from '@outpost/core';
import { allEntities, listAreas, listProjectFormVersions } from '../storage/index.js';
import type { Store } from '../storage/index.js';

export interface CaseSearchOptions {
  /** Only this entity list; the first list with cases when absent. */
  readonly listName?: string | null;
  readonly limit?: number;
  /** Filters given beside the text (CLI flags, UI controls), added to those inside it. */
  readonly filters?: Partial<CaseQuery>;
  /** What the caller may see (core/policy scopeFilter); absent for trusted callers. */
  readonly scope?: ScopeFilter | null;
  /** Today's date, YYYY-MM-DD, for ages. */
  readonly today: string;
}

export interface CaseSearchResult {
  readonly list: string | null;
  readonly hits: SearchHit[];
}

/**
 * Runs core's case search over a project's live cases: the same module the device uses, with the
 * schema read from the published forms' field catalogue and the project's area names.
 * Throws core's `QueryError` for a query it cannot read.
 */
export async function searchProjectCases(
  projectId: string,
  text: string,
  options: CaseSearchOptions,
  store: Store,
): Promise<CaseSearchResult> {
  const entities = await allEntities(
    projectId,
    { listName: options.listName ?? null, ...(options.scope ? { scope: options.scope } : {}) },
    store,
  );
  const list = options.listName ?? entities[0]?.list_name ?? null;
  const cases = entities.filter((e) => e.list_name === list);
  const schema = searchSchemaFromFields(await listFields(projectId, list, store));
  const areas = await listAreas(projectId, null, store);
  const codeOf = new Map(areas.map((a) => [a.id, a.code]));
  const index = new CaseIndex(
    schema,
    areas.map((a) => ({
      code: a.code,
      parentCode: a.parent_id === null ? null : (codeOf.get(a.parent_id) ?? null),
      names: Object.values(a.names),
    })),
  );
  index.putAll(cases.map((c) => ({ id: c.id, label: c.label, properties: c.properties })));
  const query = withFilters(parseQuery(text, schema.selectFields), options.filters ?? {});
  return {
    list,
    hits: index.search(query, {
      today: options.today,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    }),
  };
}

/** The fields of every published form version that writes to the entity list `list`. */
export async function listFields(projectId: string, list: string | null, store: Store): Promise<FieldInfo[]> {
  const fields: FieldInfo[] = [];
  for (const version of await listProjectFormVersions(projectId, store)) {
    if (formEntityLists(version.summary).some((l) => l.dataset === list)) fields.push(...version.summary.fields);
  }
  return fields;
}
