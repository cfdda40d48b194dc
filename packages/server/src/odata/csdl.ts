import type { GroupNode, ModelNode, ODataModel } from './model.js';
import { entityTypeName, parentKeyName } from './model.js';

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The schema namespace of a form's service, as Central names it. */
export function namespaceOf(formId: string): string {
  return `org.opendatakit.user.${formId.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function propertiesXml(nodes: readonly ModelNode[], ns: string): string[] {
  return nodes.map((node) => {
    const name = escapeXml(node.name);
    if (node.kind === 'value') return `<Property Name="${name}" Type="${node.edm}"/>`;
    if (node.kind === 'group') return `<Property Name="${name}" Type="${ns}.${escapeXml(node.typeName)}"/>`;
    return `<NavigationProperty Name="${name}" Type="Collection(${ns}.${escapeXml(entityTypeName(node.table))})"/>`;
  });
}

function groupsOf(nodes: readonly ModelNode[]): GroupNode[] {
  return nodes.flatMap((n) => (n.kind === 'group' ? [n, ...groupsOf(n.children)] : []));
}

const CAPABILITIES = [
  '<Annotation Term="Org.OData.Capabilities.V1.ConformanceLevel" EnumMember="Org.OData.Capabilities.V1.ConformanceLevelType/Intermediate"/>',
  '<Annotation Term="Org.OData.Capabilities.V1.BatchSupported" Bool="false"/>',
  '<Annotation Term="Org.OData.Capabilities.V1.CountRestrictions"><Record><PropertyValue Property="Countable" Bool="true"/></Record></Annotation>',
  '<Annotation Term="Org.OData.Capabilities.V1.FilterRestrictions"><Record><PropertyValue Property="Filterable" Bool="true"/><PropertyValue Property="RequiresFilter" Bool="false"/></Record></Annotation>',
  '<Annotation Term="Org.OData.Capabilities.V1.SortRestrictions"><Record><PropertyValue Property="Sortable" Bool="true"/></Record></Annotation>',
  '<Annotation Term="Org.OData.Capabilities.V1.ExpandRestrictions"><Record><PropertyValue Property="Expandable" Bool="false"/></Record></Annotation>',
].join('');

/**
 * The CSDL (EDMX 4.0, XML) of a form's service: an entity type per table keyed by `__id`, a
 * complex type per group, navigation properties where repeats sit, and the `__system` metadata
 * type of submission rows, with the capabilities this server offers.
 */
export function metadataXml(model: ODataModel): string {
  const ns = namespaceOf(model.formId);
  const types: string[] = [];
  for (const table of model.tables) {
    const own =
      table.parent === null
        ? [
            '<Property Name="__id" Type="Edm.String" Nullable="false"/>',
            `<Property Name="__system" Type="${ns}.__system"/>`,
          ]
        : [
            '<Property Name="__id" Type="Edm.String" Nullable="false"/>',
            `<Property Name="${escapeXml(parentKeyName(table.parent))}" Type="Edm.String"/>`,
          ];
    types.push(
      `<EntityType Name="${escapeXml(entityTypeName(table.name))}"><Key><PropertyRef Name="__id"/></Key>${own.join('')}${propertiesXml(table.children, ns).join('')}</EntityType>`,
    );
    for (const group of groupsOf(table.children)) {
      types.push(
        `<ComplexType Name="${escapeXml(group.typeName)}">${propertiesXml(group.children, ns).join('')}</ComplexType>`,
      );
    }
  }
  types.push(
    `<ComplexType Name="__system">${model.system.map(([n, t]) => `<Property Name="${n}" Type="${t}"/>`).join('')}</ComplexType>`,
  );
  const sets = model.tables.map(
    (t) =>
      `<EntitySet Name="${escapeXml(t.name)}" EntityType="${ns}.${escapeXml(entityTypeName(t.name))}">${CAPABILITIES}</EntitySet>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">',
    '<edmx:DataServices>',
    `<Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="${ns}">`,
    ...types,
    `<EntityContainer Name="${escapeXml(model.formId.replace(/[^A-Za-z0-9_]/g, '_'))}">${sets.join('')}</EntityContainer>`,
    '</Schema>',
    '</edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}

/** The service document: the metadata's address and one entry per table. */
export function serviceDocument(model: ODataModel, base: string): object {
  return {
    '@odata.context': `${base}/$metadata`,
    value: model.tables.map((t) => ({ kind: 'EntitySet', name: t.name, url: t.name })),
  };
}
