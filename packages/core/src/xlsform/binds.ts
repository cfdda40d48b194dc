/** The <bind> of each node: relevance, types, rules, calculations, preloads and parameter attributes. */
import { columnAttributes } from './columnAttributes.js';
import { messageAttribute } from './itext.js';
import { issue } from './issues.js';
import { EXTERNAL_INSTANCE_TYPES, type Ctx, type EmitState, type SurveyNode } from './model.js';
import type { Parameters } from './parameters.js';
import { booleanish, expression, pathOf, repeatAncestor, resolveRefs, rowCell, rowValue } from './references.js';
import { NO_APP_ERROR_STRING } from './sheetTable.js';
import { XmlElement } from './XmlElement.js';

/** Attributes groups and questions share: relevant (passed down under `flat`) and `bind::x` columns. */
export function commonBind(ctx: Ctx, state: EmitState, node: SurveyNode): XmlElement {
  const { settings, flatRelevant } = state;
  const row = node.row?.rowNumber ?? null;
  const bind = new XmlElement('bind', { nodeset: pathOf(node) });
  let relevant = node.relevantOverride ?? expression(ctx, node, 'relevant');
  if (settings.flat && node.kind === 'group') {
    flatRelevant.set(node, relevant);
    relevant = undefined;
  }
  if (settings.flat && !relevant) {
    for (let n = node.parent; n && !relevant; n = n.parent) relevant = flatRelevant.get(n);
  }
  if (relevant) bind.attr('relevant', relevant);
  for (const [name, cell] of columnAttributes(ctx, node, 'bind'))
    bind.attr(name, resolveRefs(ctx, node, cell.value.trim(), cell, row));
  const noAppErrorString = messageAttribute(ctx, node, NO_APP_ERROR_STRING, 'jr:noAppErrorString');
  if (noAppErrorString) bind.attr('jr:noAppErrorString', noAppErrorString);
  return bind;
}

/** Type, read-only, required, constraint and calculation of a question, each with its message. */
export function questionRules(ctx: Ctx, node: SurveyNode, bind: XmlElement): void {
  const qtype = node.qtype;
  const select = node.select;
  const bindType = select ? (select.kind === 'rank' ? 'odk:rank' : 'string') : qtype?.bindType;
  if (bindType) bind.attr('type', bindType);
  if (qtype?.readonly) bind.attr('readonly', 'true()');
  const readonly = booleanish(ctx, node, 'read_only');
  if (readonly) bind.attr('readonly', readonly);
  const required = booleanish(ctx, node, 'required');
  if (required) bind.attr('required', required);
  const requiredMsg = messageAttribute(ctx, node, 'required_message', 'jr:requiredMsg');
  if (requiredMsg) bind.attr('jr:requiredMsg', requiredMsg);
  const constraint = expression(ctx, node, 'constraint');
  if (constraint) bind.attr('constraint', constraint);
  const constraintMsg = messageAttribute(ctx, node, 'constraint_message', 'jr:constraintMsg');
  if (constraintMsg) bind.attr('jr:constraintMsg', constraintMsg);
  const calculation = expression(ctx, node, 'calculation');
  if (calculation) {
    // With a trigger the calculation runs only when the trigger changes (a setvalue in its control).
    if (rowValue(node, 'trigger') === undefined) bind.attr('calculate', calculation);
    // pulldata('name', ...) reads a CSV attached to the form, which must be declared as an instance.
    for (const m of calculation.matchAll(/pulldata\s*\(\s*['"]([^'"]+)['"]/g)) {
      declareFileInstance(ctx, node, m[1] as string, `jr://file-csv/${m[1] as string}.csv`);
    }
  } else if (node.type === 'calculate' && !node.generated && !isDynamicDefault(rowValue(node, 'default'))) {
    ctx.issues.push(
      issue(
        'xlsform.missing-calculation',
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        node.row?.cells.get('type') ?? null,
        `the calculate "${node.name}" needs a formula in the calculation column`,
      ),
    );
  }
  if (qtype?.preload) {
    bind.attr('jr:preload', qtype.preload.preload);
    if (qtype.preload.params) bind.attr('jr:preloadParams', qtype.preload.params);
  }
}

/** A default with a reference or a function call is computed on the device, as in pyxform. */
export function isDynamicDefault(value: string | undefined): boolean {
  return value !== undefined && /\$\{|[A-Za-z_-]+\(/.test(value);
}

/** A default that is an expression becomes a setvalue on first load (and, in a repeat, on each new instance). */
export function dynamicDefault(ctx: Ctx, state: EmitState, node: SurveyNode): XmlElement | null {
  const dflt = node.generated ? undefined : rowValue(node, 'default');
  if (!isDynamicDefault(dflt)) return null;
  const path = pathOf(node);
  const value = expression(ctx, node, 'default') as string;
  state.modelActions.push(new XmlElement('setvalue', { event: 'odk-instance-first-load', ref: path, value }));
  // A new repeat instance gets its own default, which only a setvalue inside the repeat can do.
  return repeatAncestor(node) ? new XmlElement('setvalue', { event: 'odk-new-repeat', ref: path, value }) : null;
}

/**
 * Types with model actions or a node of their own: start-geopoint, background-audio, attached
 * external files (no bind at all: returns false) and audit (bound under meta).
 */
export function specialTypeBind(ctx: Ctx, state: EmitState, node: SurveyNode, bind: XmlElement): boolean {
  const qtype = node.qtype;
  const path = pathOf(node);
  if (qtype?.name === 'start-geopoint')
    state.modelActions.push(new XmlElement('odk:setgeopoint', { event: 'odk-instance-first-load', ref: path }));
  if (qtype?.name === 'background-geopoint') backgroundGeopoint(ctx, node);
  if (qtype?.name === 'background-audio')
    state.modelActions.push(new XmlElement('odk:recordaudio', { event: 'odk-instance-load', ref: path }));
  if (qtype && EXTERNAL_INSTANCE_TYPES.has(qtype.name)) {
    declareFileInstance(
      ctx,
      node,
      node.name,
      qtype.name === 'csv-external' ? `jr://file-csv/${node.name}.csv` : `jr://file/${node.name}.xml`,
    );
    return false;
  }
  if (qtype?.name === 'audit') {
    state.hasAudit = true;
    if (node.name !== 'audit')
      ctx.issues.push(
        issue(
          'xlsform.audit-name',
          ctx.surveySheet,
          node.row?.rowNumber ?? null,
          rowCell(node, 'name') ?? null,
          'an audit question must be named "audit"',
        ),
      );
    bind.attr('nodeset', `${pathOf(ctx.root)}/meta/audit`);
  }
  return true;
}

/** `save_to` (checked and assigned to its list in entityPlan.ts) written as entities:saveto; returns the property name. */
export function saveToBind(state: EmitState, node: SurveyNode, bind: XmlElement): string | undefined {
  const saveTo = state.entityPlan.saveTo.get(node);
  if (!saveTo) return undefined;
  // As pyxform: the property name only; the list is the one whose block is in the enclosing container.
  bind.attr('entities:saveto', saveTo.property);
  return saveTo.property;
}

const AUDIT_PARAMETERS = [
  'location-priority',
  'location-min-interval',
  'location-max-age',
  'track-changes',
  'identify-user',
  'track-changes-reasons',
];

/** The `parameters` column's bind attributes (image size, audio quality, mock accuracy, audit options, range type). */
export function parameterBind(node: SurveyNode, params: Parameters, bind: XmlElement): void {
  const name = node.qtype?.name;
  if (name === 'image' && params['max-pixels']) bind.attr('orx:max-pixels', params['max-pixels']);
  if (name === 'audio' && params['quality']) bind.attr('odk:quality', params['quality']);
  if (name === 'geopoint' && params['allow-mock-accuracy'])
    bind.attr('odk:allow-mock-accuracy', params['allow-mock-accuracy']);
  if (name === 'audit') {
    for (const p of AUDIT_PARAMETERS) if (params[p]) bind.attr(`odk:${p}`, params[p]);
  }
  if (name === 'range' && ['start', 'end', 'step'].some((p) => params[p]?.includes('.'))) bind.attr('type', 'decimal');
}

/** A background location is taken when its trigger changes; it has no formula of its own. */
function backgroundGeopoint(ctx: Ctx, node: SurveyNode): void {
  const row = node.row?.rowNumber ?? null;
  if (rowValue(node, 'trigger') === undefined)
    ctx.issues.push(
      issue(
        'xlsform.background-geopoint-trigger',
        ctx.surveySheet,
        row,
        node.row?.cells.get('type') ?? null,
        'a background-geopoint needs a trigger: the question whose change takes the location',
      ),
    );
  const calculation = rowCell(node, 'calculation');
  if (calculation)
    ctx.issues.push(
      issue(
        'xlsform.background-geopoint-calculation',
        ctx.surveySheet,
        row,
        calculation,
        'a background-geopoint takes the device location, so its calculation must be empty',
      ),
    );
}

/** An attached file becomes a secondary instance; one instance id cannot name two different files. */
export function declareFileInstance(ctx: Ctx, node: SurveyNode, id: string, src: string): void {
  const existing = ctx.fileInstances.get(id);
  if (existing !== undefined && existing !== src)
    ctx.issues.push(
      issue(
        'xlsform.instance-conflict',
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        node.row?.cells.get('type') ?? null,
        `the attached file instance "${id}" already reads ${existing}; it cannot also read ${src}: rename one of the files`,
      ),
    );
  else ctx.fileInstances.set(id, src);
}
