/** The entities sheet and `save_to`: the <entity> under meta, its binds and the properties it saves. */
import { issue } from './issues.js';
import { XML_NAME, type Ctx, type EmitState, type SurveyNode } from './model.js';
import { pathOf, repeatAncestor, resolveRefs, rowCell } from './references.js';
import type { Cell, SheetRow, SheetTable } from './sheetTable.js';
import type { EntitiesSpec } from './types.js';
import { XmlElement } from './XmlElement.js';
import { xpathSyntaxError } from './xpathSyntax.js';

/** The entities sheet's columns after `${}` references were resolved. */
interface EntityColumns {
  dataset: string;
  label: string | null;
  entityId: string | null;
  createIf: string | null;
  updateIf: string | null;
}

const ENTITY_COLUMNS = new Set(['list_name', 'label', 'entity_id', 'create_if', 'update_if']);

export function emitEntities(ctx: Ctx, table: SheetTable, meta: XmlElement, state: EmitState): EntitiesSpec | null {
  const row = table.rows[0];
  if (!row) return null;
  if (!checkEntitiesSheet(ctx, table)) return null;
  const columns = readEntityColumns(ctx, table, row);
  if (!columns) return null;
  const { dataset, label, entityId, createIf, updateIf } = columns;
  const creates = !entityId || createIf !== null;
  const updates = entityId !== null;
  const refuse = (code: string, message: string): void => {
    ctx.issues.push(issue(code, table.name, row.rowNumber, null, message));
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
  if (creates && !label) {
    ctx.issues.push(
      issue(
        'xlsform.entities-no-label',
        table.name,
        row.rowNumber,
        null,
        'a form that creates entities needs a label column on the entities sheet',
      ),
    );
  }
  const entityPath = `${pathOf(ctx.root)}/meta/entity`;
  const bind = (attr: string, calculate: string | null): void => {
    state.binds.push(
      new XmlElement('bind', {
        nodeset: `${entityPath}/${attr}`,
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
  if (creates) {
    state.modelActions.push(
      new XmlElement('setvalue', { event: 'odk-instance-first-load', ref: `${entityPath}/@id`, value: 'uuid()' }),
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
  meta.append(entity);
  return { ...columns, properties: state.properties };
}

/** pyxform's entities-sheet rules: known columns only; one entity list per form here, for now. */
function checkEntitiesSheet(ctx: Ctx, table: SheetTable): boolean {
  const header = table.rows[0] as SheetRow;
  const unknown = new Map<string, Cell>();
  for (const row of table.rows)
    for (const [key, cell] of row.cells) if (!ENTITY_COLUMNS.has(key)) unknown.set(cell.header, cell);
  for (const cell of unknown.values())
    ctx.issues.push(
      issue(
        'xlsform.entities-unknown-column',
        table.name,
        header.rowNumber - 1,
        cell,
        `the entities sheet has no column "${cell.header}": its columns are list_name, label, entity_id, create_if and update_if`,
      ),
    );
  const second = table.rows[1];
  if (second)
    ctx.issues.push(
      issue(
        'xlsform.not-supported-yet',
        table.name,
        second.rowNumber,
        null,
        'a form that writes to more than one entity list is not supported yet: keep one row on the entities sheet',
      ),
    );
  return unknown.size === 0 && !second;
}

function readEntityColumns(ctx: Ctx, table: SheetTable, row: SheetRow): EntityColumns | null {
  const datasetCell = row.cells.get('list_name');
  const dataset = datasetCell?.value.trim();
  if (!dataset) {
    ctx.issues.push(
      issue(
        'xlsform.entities-no-list',
        table.name,
        row.rowNumber,
        null,
        'the entities sheet needs a list_name: the entity list this form creates or updates',
      ),
    );
    return null;
  }
  if (dataset.startsWith('__') || dataset.includes('.') || !XML_NAME.test(dataset)) {
    ctx.issues.push(
      issue(
        'xlsform.entities-bad-list',
        table.name,
        row.rowNumber,
        datasetCell ?? null,
        `"${dataset}" is not a valid entity list name`,
      ),
    );
  }
  const expr = (key: string): string | null => {
    const cell = row.cells.get(key);
    if (!cell || cell.value.trim() === '') return null;
    return entityExpression(ctx, table, row, cell);
  };
  return {
    dataset,
    label: expr('label'),
    entityId: expr('entity_id'),
    createIf: expr('create_if'),
    updateIf: expr('update_if'),
  };
}

function entityExpression(ctx: Ctx, table: SheetTable, row: SheetRow, cell: Cell): string {
  const before = ctx.issues.length;
  const value = resolveRefs(ctx, ctx.root, cell.value.trim(), cell, row.rowNumber, 'expression', table.name);
  const problem = ctx.issues.length === before ? xpathSyntaxError(value) : null;
  if (problem)
    ctx.issues.push(
      issue('xlsform.bad-expression', table.name, row.rowNumber, cell, `this is not a valid expression: ${problem}`),
    );
  return value;
}

/** A `save_to` value must name a new, valid property outside repeats, with an entities sheet present. */
export function checkSaveTo(ctx: Ctx, state: EmitState, node: SurveyNode, saveTo: string): void {
  const row = node.row?.rowNumber ?? null;
  const saveToCell = rowCell(node, 'save_to') ?? null;
  const report = (code: string, message: string): void => {
    ctx.issues.push(issue(code, ctx.surveySheet, row, saveToCell, message));
  };
  if (saveTo.includes('#')) {
    report(
      'xlsform.not-supported-yet',
      `"${saveTo}" names an entity list (list#property): saving to several entity lists from one form is not supported yet`,
    );
  } else if (!state.settings.entities) {
    report('xlsform.save-to-without-entities', 'save_to needs an entities sheet that names the entity list');
  } else if (['name', 'label'].includes(saveTo.toLowerCase()) || saveTo.startsWith('__')) {
    report('xlsform.save-to-reserved', `"${saveTo}" is reserved for the entity itself and cannot be a property name`);
  } else if (!XML_NAME.test(saveTo)) {
    report('xlsform.save-to-invalid', `"${saveTo}" is not a valid property name`);
  } else if (repeatAncestor(node)) {
    report(
      'xlsform.not-supported-yet',
      'saving questions inside a repeat to entities (one entity per repeat instance) is not supported yet',
    );
  } else if (state.properties.some((p) => p.property === saveTo)) {
    report('xlsform.save-to-duplicate', `another question already saves to the property "${saveTo}"`);
  }
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
