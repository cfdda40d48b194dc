/** The <h:body>: groups, repeats and one control per shown question, with their binds collected on the way. */
import { columnAttributes } from './columnAttributes.js';
import { checkGroupSaveTo, needsNewId } from './entities.js';
import {
  commonBind,
  declareFileInstance,
  dynamicDefault,
  parameterBind,
  questionRules,
  saveToBind,
  specialTypeBind,
} from './binds.js';
import { labelsOf, mediaOf, textElement } from './itext.js';
import { issue } from './issues.js';
import { listUsesItext } from './choices.js';
import type { Ctx, EmitState, SurveyNode } from './model.js';
import { parameterKind, parameterProblems, parseParameters, type Parameters } from './parameters.js';
import type { SelectType } from './questionTypes.js';
import { booleanish, checkExpression, pathOf, repeatAncestor, resolveRefs, rowCell, rowValue } from './references.js';
import { isHiddenComputed, triggerActions } from './triggers.js';
import { XmlElement } from './XmlElement.js';

export function bodyOf(ctx: Ctx, state: EmitState, node: SurveyNode, parentEl: XmlElement): void {
  const bind = commonBind(ctx, state, node);
  if (node.kind === 'group' || node.kind === 'repeat') groupBody(ctx, state, node, bind, parentEl);
  else if (node.generated !== 'repeat-count') questionBody(ctx, state, node, bind, parentEl);
}

/** Appearance, `body::x` columns and the few attributes pyxform passes through as they are. */
function controlAttrs(ctx: Ctx, node: SurveyNode, el: XmlElement): void {
  const appearance = node.appearance ?? rowValue(node, 'appearance') ?? node.qtype?.appearance;
  if (appearance) el.attr('appearance', appearance);
  for (const [name, cell] of columnAttributes(ctx, node, 'body'))
    el.attr(name, resolveRefs(ctx, node, cell.value.trim(), cell, node.row?.rowNumber ?? null));
  for (const [key, cell] of node.generated ? [] : (node.row?.cells ?? [])) {
    if (key === 'rows' || key === 'autoplay' || key === 'intent') el.attr(key, cell.value.trim());
  }
}

function groupBody(ctx: Ctx, state: EmitState, node: SurveyNode, bind: XmlElement, parentEl: XmlElement): void {
  const { settings } = state;
  const path = pathOf(node);
  const readonly = booleanish(ctx, node, 'read_only');
  if (readonly) bind.attr('readonly', readonly);
  checkGroupSaveTo(ctx, node);
  const group = new XmlElement('group');
  if (!settings.flat) group.attr('ref', path);
  const label = textElement(ctx, node, 'label', path, mediaOf(ctx, node));
  let container = group;
  if (node.kind === 'repeat') {
    group.append(label ?? new XmlElement('label', {}, ['']));
    const repeat = new XmlElement('repeat', { nodeset: path });
    controlAttrs(ctx, node, repeat);
    repeatCount(ctx, state, node, repeat);
    // Each new instance of a repeat that carries an entity block gets its own entity id (pyxform).
    const decl = state.entityPlan.byContainer.get(node);
    if (decl !== undefined && needsNewId(decl))
      repeat.append(
        new XmlElement('setvalue', { event: 'odk-new-repeat', ref: `${path}/meta/entity/@id`, value: 'uuid()' }),
      );
    group.append(repeat);
    container = repeat;
  } else {
    controlAttrs(ctx, node, group);
    if (label) group.append(label);
  }
  if (bind.attributes.length > 1 && !(settings.flat && node.kind === 'group')) state.binds.push(bind);
  for (const child of [...node.children]) bodyOf(ctx, state, child, container);
  parentEl.append(group);
}

/** A repeat_count that is not a plain `${ref}` is computed by a generated `<name>_count` calculate. */
function repeatCount(ctx: Ctx, state: EmitState, node: SurveyNode, repeat: XmlElement): void {
  const row = node.row?.rowNumber ?? null;
  const countCell = rowCell(node, 'repeat_count');
  const count = countCell?.value.trim();
  if (!count) return;
  if (/^\$\{[^}]+\}$/.test(count)) {
    repeat.attr('jr:count', resolveRefs(ctx, node, count, countCell ?? null, row));
    return;
  }
  const resolved = resolveRefs(ctx, node, count, countCell ?? null, row);
  checkExpression(ctx, node, 'repeat_count', resolved);
  const countNode: SurveyNode = {
    kind: 'question',
    name: `${node.name}_count`,
    row: null,
    type: 'calculate',
    children: [],
    parent: node.parent,
    generated: 'repeat-count',
    calculation: resolved,
  };
  const siblings = (node.parent as SurveyNode).children;
  const taken = siblings.find((s) => s.name === countNode.name);
  if (taken)
    ctx.issues.push(
      issue(
        'xlsform.reserved-name',
        ctx.surveySheet,
        taken.row?.rowNumber ?? null,
        taken.row?.cells.get('name') ?? null,
        `the name "${countNode.name}" is needed for the count of the repeat "${node.name}" (row ${row}); rename this question`,
      ),
    );
  siblings.splice(siblings.indexOf(node), 0, countNode);
  repeat.attr('jr:count', ` ${pathOf(countNode)} `);
  state.binds.push(
    new XmlElement('bind', { nodeset: pathOf(countNode), readonly: 'true()', type: 'string', calculate: resolved }),
  );
}

function questionBody(ctx: Ctx, state: EmitState, node: SurveyNode, bind: XmlElement, parentEl: XmlElement): void {
  const path = pathOf(node);
  const qtype = node.qtype;
  questionRules(ctx, node, bind);
  const repeatDefault = dynamicDefault(ctx, state, node);
  if (!specialTypeBind(ctx, state, node, bind)) return;
  const saveTo = saveToBind(state, node, bind);
  const params = parseParameters(rowValue(node, 'parameters'));
  const kind = parameterKind(node.qtype?.name ?? '', node.select);
  for (const problem of kind ? parameterProblems(kind, params) : [])
    ctx.issues.push(
      issue(
        'xlsform.bad-parameter',
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        rowCell(node, 'parameters') ?? null,
        problem,
      ),
    );
  parameterBind(node, params, bind);
  if (bind.attributes.length > 1) state.binds.push(bind);

  const labels = labelsOf(ctx, node, 'label');
  if (qtype?.metadata && !qtype.preload) return;
  state.fields.push({
    path,
    name: node.name,
    type: node.type,
    labels: Object.fromEntries([...labels].map(([lang, cell]) => [lang, cell.value])),
    sensitivity: rowValue(node, 'sensitivity') ?? state.settings.defaultSensitivity,
    saveTo: saveTo ?? null,
    repeat: repeatAncestor(node) !== null,
  });
  const control = controlName(node);
  if (!control) return;
  if (isHiddenComputed(node)) {
    ctx.warnings.push(
      issue(
        'xlsform.computed-without-label',
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        node.row?.cells.get('name') ?? null,
        `the question "${node.name}" has no label or hint, so it is not shown: it only holds what its calculation or trigger sets`,
      ),
    );
    return;
  }
  const el = questionControl(ctx, node, control, params);
  if (repeatDefault) parentEl.append(repeatDefault);
  if (node.select) {
    if (node.select.external) externalQuery(ctx, node, el);
    else el.append(itemset(ctx, node, node.select, params));
  }
  el.append(...triggerActions(ctx, state.triggers, node));
  parentEl.append(el);
}

function controlName(node: SurveyNode): string | null | undefined {
  const select = node.select;
  if (!select) return node.qtype?.control;
  if (select.external) return 'input';
  if (select.kind === 'select_one') return 'select1';
  return select.kind === 'rank' ? 'odk:rank' : 'select';
}

/** The control element with its label and hint; a shown question needs one of label, hint or media. */
function questionControl(ctx: Ctx, node: SurveyNode, control: string, params: Parameters): XmlElement {
  const path = pathOf(node);
  const qtype = node.qtype;
  const labels = labelsOf(ctx, node, 'label');
  const media = mediaOf(ctx, node);
  const hints = labelsOf(ctx, node, 'hint');
  const needsText = node.generated !== 'table-header' && !qtype?.metadata;
  // A guidance hint alone does not count: devices may hide it (pyxform refuses it too).
  if (needsText && labels.size === 0 && hints.size === 0 && media.size === 0) {
    const guidance = rowValue(node, 'guidance_hint') ? ' (a guidance_hint alone is not enough: it may be hidden)' : '';
    ctx.issues.push(
      issue(
        'xlsform.missing-label',
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        node.row?.cells.get('name') ?? null,
        `the question "${node.name}" has no label or hint${guidance}; use type calculate or hidden for a field the user should not see`,
      ),
    );
  }
  const el = new XmlElement(control, { ref: path });
  controlAttrs(ctx, node, el);
  if (qtype?.mediatype) el.attr('mediatype', qtype.mediatype);
  if (control === 'range') {
    const defaults: Record<string, string> = { start: '1', end: '10', step: '1' };
    for (const p of ['start', 'end', 'step']) el.attr(p, params[p] ?? defaults[p]);
  }
  if (qtype?.name === 'geopoint') {
    if (params['capture-accuracy']) el.attr('accuracyThreshold', params['capture-accuracy']);
    if (params['warning-accuracy']) el.attr('unacceptableAccuracyThreshold', params['warning-accuracy']);
  }
  const label = textElement(ctx, node, 'label', path, media);
  // The table-list header row shows only its choices, so its label is present but empty.
  el.append(label ?? (node.generated === 'table-header' ? new XmlElement('label', {}, ['']) : null));
  const hint = textElement(ctx, node, 'hint', path, new Map());
  if (hint) el.append(hint);
  return el;
}

function externalQuery(ctx: Ctx, node: SurveyNode, el: XmlElement): void {
  const filter = rowValue(node, 'choice_filter');
  const row = node.row?.rowNumber ?? null;
  const f = filter
    ? `[${resolveRefs(ctx, node, filter, rowCell(node, 'choice_filter') ?? null, row, 'choice-filter')}]`
    : '';
  el.attr('query', `instance('${(node.select as SelectType).listName}')/root/item${f}`);
}

function itemset(ctx: Ctx, node: SurveyNode, select: SelectType, params: Parameters): XmlElement {
  const row = node.row?.rowNumber ?? null;
  let instanceId = select.listName;
  let valueRef = 'name';
  let labelRef = 'label';
  if (select.fromFile) {
    const file = select.listName;
    instanceId = file.replace(/\.[^.]+$/, '');
    const ext = (/\.([^.]+)$/.exec(file)?.[1] ?? '').toLowerCase();
    declareFileInstance(ctx, node, instanceId, ext === 'csv' ? `jr://file-csv/${file}` : `jr://file/${file}`);
    valueRef = params['value'] ?? 'name';
    labelRef = params['label'] ?? 'label';
  } else {
    const list = ctx.lists.get(select.listName);
    if (list && listUsesItext(list)) labelRef = 'jr:itext(itextId)';
  }
  const filterRaw = node.generated === 'table-header' ? undefined : rowValue(node, 'choice_filter');
  let filter = '';
  if (filterRaw) {
    const resolved = resolveRefs(ctx, node, filterRaw, rowCell(node, 'choice_filter') ?? null, row, 'choice-filter');
    checkExpression(ctx, node, 'choice_filter', `x[${resolved}]`);
    filter = `[${resolved}]`;
  }
  const el = new XmlElement('itemset', { nodeset: `instance('${instanceId}')/root/item${filter}` }, [
    new XmlElement('value', { ref: valueRef }),
    new XmlElement('label', { ref: labelRef }),
  ]);
  if (params['randomize']) el.attr('randomize', params['randomize']);
  if (params['seed']) el.attr('seed', params['seed']);
  return el;
}
