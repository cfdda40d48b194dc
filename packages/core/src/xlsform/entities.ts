/**
 * The entity blocks: for each list of the plan (entityPlan.ts) an `<entity>` element in its
 * container's `<meta>`, its binds, the setvalue that gives a new entity its id, and the spec the
 * server and device read submissions with.
 */
import { issue } from './issues.js';
import { type Ctx, type EmitState, type SurveyNode } from './model.js';
import { entityPath, type EntityDecl } from './entityPlan.js';
import { pathOf, resolveRefs, rowCell } from './references.js';
import type { Cell } from './sheetTable.js';
import type { EntitiesSpec } from './types.js';
import { XmlElement } from './XmlElement.js';
import { xpathSyntaxError } from './xpathSyntax.js';

/** Entities spec version: 2025.1.0 adds blocks in repeats (and several lists per form). */
export function entitiesVersion(decls: readonly EntityDecl[], root: SurveyNode): string {
  return decls.length > 1 || decls.some((d) => d.container !== root) ? '2025.1.0' : '2024.1.0';
}

/** Emits every list's binds and actions; returns the entity element per container and the specs. */
export function emitEntities(
  ctx: Ctx,
  state: EmitState,
): { blocks: Map<SurveyNode, XmlElement>; specs: EntitiesSpec[] } {
  const blocks = new Map<SurveyNode, XmlElement>();
  const specs: EntitiesSpec[] = [];
  for (const decl of state.entityPlan.decls) {
    const emitted = emitEntity(ctx, state, decl);
    if (emitted === null) continue;
    blocks.set(decl.container, emitted.entity);
    specs.push(emitted.spec);
  }
  return { blocks, specs };
}

/** Whether the list's entities get a new id when made (no entity_id: a form that only creates). */
export function needsNewId(decl: EntityDecl): boolean {
  return (decl.row.cells.get('entity_id')?.value.trim() ?? '') === '';
}

/** `<meta><entity/></meta>` for a repeat instance (pyxform puts no instanceID there). */
export function repeatMeta(entity: XmlElement): XmlElement {
  return new XmlElement('meta', {}, [entity]);
}

function emitEntity(ctx: Ctx, state: EmitState, decl: EntityDecl): { entity: XmlElement; spec: EntitiesSpec } | null {
  const { row, dataset, container } = decl;
  const sheet = state.settings.entities?.name ?? 'entities';
  // `${}` in the entities sheet is resolved from the entity's label element, so that inside a
  // repeat it stays in the same instance (pyxform: ` ../../../q1 `).
  const meta: SurveyNode = { kind: 'group', name: 'meta', row: null, type: 'meta', children: [], parent: container };
  const entityNode: SurveyNode = {
    kind: 'group',
    name: 'entity',
    row: null,
    type: 'entity',
    children: [],
    parent: meta,
  };
  const from: SurveyNode = {
    kind: 'question',
    name: 'label',
    row: null,
    type: 'calculate',
    children: [],
    parent: entityNode,
  };
  const expr = (key: string): string | null => {
    const cell = row.cells.get(key);
    if (!cell || cell.value.trim() === '') return null;
    return entityExpression(ctx, sheet, row.rowNumber, cell, from);
  };
  const label = expr('label');
  const entityId = expr('entity_id');
  const createIf = expr('create_if');
  const updateIf = expr('update_if');
  const creates = !entityId || createIf !== null;
  const updates = entityId !== null;
  const refuse = (code: string, message: string): void => {
    ctx.issues.push(issue(code, sheet, row.rowNumber, null, message));
  };
  if (updateIf && !entityId)
    refuse(
      'xlsform.entities-update-without-id',
      'update_if needs an entity_id column: the id of the entity to update (or, to only create entities, move the expression to create_if)',
    );
  if (createIf && entityId && !updateIf)
    refuse(
      'xlsform.entities-upsert-without-update-if',
      'with both create_if and entity_id the form creates or updates, which needs an update_if expression too (or remove entity_id to only create)',
    );
  if (creates && !label)
    refuse(
      'xlsform.entities-no-label',
      `the list "${dataset}" creates entities, so it needs a label on the entities sheet`,
    );
  const path = entityPath(container);
  const bind = (attr: string, calculate: string | null): void => {
    state.binds.push(
      new XmlElement('bind', {
        nodeset: `${path}/${attr}`,
        ...(calculate === null ? {} : { calculate }),
        type: 'string',
        readonly: 'true()',
      }),
    );
  };
  const entity = new XmlElement('entity', { dataset, id: '' });
  if (creates) {
    entity.attr('create', '1');
    if (createIf) bind('@create', createIf);
  }
  if (updates) {
    entity.attr('update', '1');
    entity.attr('baseVersion', '').attr('trunkVersion', '').attr('branchId', '');
    if (updateIf) bind('@update', updateIf);
  }
  if (creates && needsNewId(decl)) {
    state.modelActions.push(
      new XmlElement('setvalue', { event: 'odk-instance-first-load', ref: `${path}/@id`, value: 'uuid()' }),
    );
  }
  if (entityId) {
    bind('@id', entityId);
    const item = `instance('${dataset}')/root/item[name=${entityId}]`;
    bind('@baseVersion', `${item}/__version`);
    bind('@trunkVersion', `${item}/__trunkVersion`);
    bind('@branchId', `${item}/__branchId`);
  } else {
    bind('@id', null);
  }
  if (label) {
    entity.append(new XmlElement('label'));
    bind('label', label);
  }
  const spec: EntitiesSpec = {
    dataset,
    label,
    entityId,
    createIf,
    updateIf,
    properties: decl.properties.map(({ property, node }) => ({ property, path: pathOf(node) })),
    repeat: container === ctx.root ? null : pathOf(container),
  };
  return { entity, spec };
}

function entityExpression(ctx: Ctx, sheet: string, row: number, cell: Cell, from: SurveyNode): string {
  const before = ctx.issues.length;
  const value = resolveRefs(ctx, from, cell.value.trim(), cell, row, 'expression', sheet);
  const problem = ctx.issues.length === before ? xpathSyntaxError(value) : null;
  if (problem)
    ctx.issues.push(issue('xlsform.bad-expression', sheet, row, cell, `this is not a valid expression: ${problem}`));
  return value;
}

/** A group or repeat is not a value, so it cannot be an entity property (pyxform ENTITY_003). */
export function checkGroupSaveTo(ctx: Ctx, node: SurveyNode): void {
  const cell = rowCell(node, 'save_to');
  if (cell && cell.value.trim() !== '')
    ctx.issues.push(
      issue(
        'xlsform.save-to-group',
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        cell,
        `a ${node.kind} cannot be saved to an entity property: put save_to on the questions inside it`,
      ),
    );
}
