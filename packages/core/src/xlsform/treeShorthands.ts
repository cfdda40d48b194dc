/** Survey shorthands pyxform expands into plain groups: `begin loop over <list>` and table-list groups. */
import { labelsOf } from './itext.js';
import { issue } from './issues.js';
import type { Choice, ChoiceList, Ctx, SurveyNode } from './model.js';
import { lookupQuestionType, type QuestionType } from './questionTypes.js';
import { cellText, translations, type Cell } from './sheetTable.js';

/**
 * A loop is shorthand for one group per choice, each holding a copy of the loop's questions with
 * `%(label)s` / `%(name)s` in their labels replaced by that choice's label and name (as pyxform does).
 */
export function expandLoop(ctx: Ctx, loop: SurveyNode, list: ChoiceList): void {
  const template = loop.children;
  const copy = (node: SurveyNode, parent: SurveyNode, choice: Choice): SurveyNode => {
    const fill = (texts: Map<string, Cell>): Map<string, Cell> =>
      new Map(
        [...texts].map(([lang, cell]) => {
          const choiceLabel = (choice.labels.get(lang) ?? choice.labels.get(ctx.defaultLanguage))?.value ?? choice.name;
          const value = cell.value.replace(/%\(label\)s/g, choiceLabel).replace(/%\(name\)s/g, choice.name);
          return [lang, { ...cell, value }];
        }),
      );
    const clone: SurveyNode = {
      ...node,
      parent,
      children: [],
      labelOverride: node.row ? fill(labelsOf(ctx, node, 'label')) : (node.labelOverride ?? null),
      hintOverride: node.row ? fill(labelsOf(ctx, node, 'hint')) : (node.hintOverride ?? null),
    };
    const names = ctx.byName.get(clone.name) ?? [];
    names.push(clone);
    ctx.byName.set(clone.name, names);
    clone.children = node.children.map((child) => copy(child, clone, choice));
    return clone;
  };
  for (const node of template) {
    const names = ctx.byName.get(node.name) ?? [];
    ctx.byName.set(
      node.name,
      names.filter((n) => n !== node),
    );
  }
  loop.children = list.choices.map((choice) => {
    const group: SurveyNode = {
      kind: 'group',
      name: choice.name,
      row: loop.row,
      type: 'begin group',
      children: [],
      parent: loop,
      generated: 'loop-item',
      labelOverride: choice.labels,
      hintOverride: null,
    };
    group.children = template.map((child) => copy(child, group, choice));
    return group;
  });
}

/** pyxform turns a table-list group into a field-list with a header row of choice labels. */
export function applyTableLists(ctx: Ctx, node: SurveyNode): void {
  for (const child of node.children) applyTableLists(ctx, child);
  if (node.kind !== 'group' || !node.row) return;
  const appearance = cellText(node.row, 'appearance');
  if (!appearance || !appearance.split(/\s+/).includes('table-list')) return;
  node.appearance = appearance
    .split(/\s+/)
    .map((a) => (a === 'table-list' ? 'field-list' : a))
    .join(' ');
  const children: SurveyNode[] = [];
  const labels = translations(node.row, 'label', ctx.defaultLanguage);
  const hints = translations(node.row, 'hint', ctx.defaultLanguage);
  if (labels.size > 0) {
    children.push({
      kind: 'question',
      name: `generated_table_list_label_${node.row.rowNumber}`,
      row: node.row,
      type: 'note',
      qtype: lookupQuestionType('note') as QuestionType,
      children: [],
      parent: node,
      generated: 'table-label',
      labelOverride: labels,
      hintOverride: hints,
      appearance: undefined,
    });
    node.labelOverride = null;
    node.hintOverride = null;
  }
  let listName: string | undefined;
  for (const child of node.children) {
    if (child.select && child.row) {
      if (listName === undefined) {
        listName = child.select.listName;
        children.push({
          kind: 'question',
          name: `reserved_name_for_field_list_labels_${child.row.rowNumber}`,
          row: child.row,
          type: child.select.kind,
          select: { ...child.select, orOther: false },
          children: [],
          parent: node,
          generated: 'table-header',
          appearance: 'label',
          labelOverride: null,
          hintOverride: null,
        });
      } else if (listName !== child.select.listName) {
        ctx.issues.push(
          issue(
            'xlsform.table-list-lists',
            ctx.surveySheet,
            child.row.rowNumber,
            child.row.cells.get('type') ?? null,
            `every select in a table-list group must use the same choice list ("${listName}"), not "${child.select.listName}"`,
          ),
        );
      }
      child.appearance = 'list-nolabel';
    }
    children.push(child);
  }
  node.children = children;
}
