import { formEntityLists, scopeFilter } from '@outpost/core';
import type { FormSummary } from '@outpost/core';
import { redactEntity } from '../policy/redactEntity.js';
import type { ProjectAccess } from '../policy/projectAccess.js';
import type { PolicyCatalogue } from '@outpost/core';
import { allEntities } from '../storage/queries/entities.js';
import type { Store } from '../storage/store.js';
import type { ODataModel } from './model.js';
import type { Row } from './query.js';

/** An entity property as text: properties are stored as text, anything else as JSON. */
function propertyText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The `__system` properties of an entity row. */
const ENTITY_SYSTEM: ReadonlyArray<readonly [string, string]> = [
  ['createdAt', 'Edm.DateTimeOffset'],
  ['updatedAt', 'Edm.DateTimeOffset'],
  ['version', 'Edm.Int64'],
  ['area', 'Edm.String'],
];

/** An entity list as an OData service (Central's dataset service): one table, `Entities`. */
export function entityModel(listName: string, summaries: readonly FormSummary[]): ODataModel {
  const names = new Set<string>();
  for (const summary of summaries) {
    for (const list of formEntityLists(summary))
      if (list.dataset === listName) for (const p of list.properties) names.add(p.property);
  }
  const children = [
    { kind: 'value' as const, name: 'label', edm: 'Edm.String' },
    ...[...names].sort().map((name) => ({ kind: 'value' as const, name, edm: 'Edm.String' })),
  ];
  const properties = new Map<string, string>([
    ['__id', 'Edm.String'],
    ...ENTITY_SYSTEM.map(([name, edm]) => [`__system/${name}`, edm] as [string, string]),
    ...children.map((c) => [c.name, c.edm] as [string, string]),
  ]);
  return {
    formId: listName,
    tables: [{ name: 'Entities', path: '', parent: null, steps: [], children }],
    properties: new Map([['Entities', properties]]),
    system: ENTITY_SYSTEM,
  };
}

/**
 * The live entities of a list that the reader may read (`cases.read` on their scope), redacted as
 * the app shows them (labels and identifying properties hidden, areas coarsened), as rows.
 */
export async function entityRows(
  access: ProjectAccess,
  listName: string,
  model: ODataModel,
  catalogue: PolicyCatalogue,
  store: Store,
): Promise<Row[]> {
  const scope = scopeFilter(access.actor, access.project.id, { action: 'cases.read', recordKind: 'entity' });
  const entities = await allEntities(access.project.id, { listName, scope }, store);
  const names = (model.tables[0]?.children ?? []).map((c) => c.name).filter((n) => n !== 'label');
  return entities.map((e) => {
    const view = redactEntity(access.actor, e, e.area_path, catalogue);
    const row: Row = {
      __id: e.id,
      __system: {
        createdAt: e.created_at,
        updatedAt: e.updated_at,
        version: Number(e.version),
        area:
          view.areaPath
            ?.split('/')
            .filter((s) => s !== '')
            .pop() ?? null,
      },
      label: view.label,
    };
    for (const name of names) {
      const value = view.properties[name];
      row[name] = value === undefined || value === null || value === '' ? null : propertyText(value);
    }
    return row;
  });
}
