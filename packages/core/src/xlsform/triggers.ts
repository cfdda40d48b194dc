/**
 * The survey's `trigger` column: `${a}` (or `${a}, ${b}`) recomputes this question's calculation,
 * or takes a background location, each time the user changes question a. The action sits in a's
 * control, so a must be a question the user sees; otherwise the trigger could never fire.
 */
import { issue } from './issues.js';
import type { Ctx, SurveyNode } from './model.js';
import { pathOf, resolveRefs, rowCell, rowValue } from './references.js';
import { XmlElement } from './XmlElement.js';

/** For each question that triggers, the questions it sets. */
export type Triggers = Map<SurveyNode, SurveyNode[]>;

export function collectTriggers(ctx: Ctx): Triggers {
  const triggers: Triggers = new Map();
  const visit = (node: SurveyNode): void => {
    for (const child of node.children) visit(child);
    const cell = rowCell(node, 'trigger');
    if (node.kind !== 'question' || !cell || cell.value.trim() === '') return;
    const row = node.row?.rowNumber ?? null;
    const parts = cell.value.split(',').map((p) => p.trim());
    if (!parts.every((p) => /^\$\{[^}]+\}$/.test(p))) {
      ctx.issues.push(
        issue(
          'xlsform.bad-trigger',
          ctx.surveySheet,
          row,
          cell,
          'a trigger is a reference like ${age}, or several separated by commas',
        ),
      );
      return;
    }
    for (const part of parts) {
      const name = part.slice(2, -1).trim();
      const before = ctx.issues.length;
      resolveRefs(ctx, node, part, cell, row);
      if (ctx.issues.length > before) continue;
      const target = (ctx.byName.get(name) ?? []).find((n) => n.kind !== 'root') as SurveyNode;
      if (!isShown(target)) {
        ctx.issues.push(
          issue(
            'xlsform.trigger-not-shown',
            ctx.surveySheet,
            row,
            cell,
            `"${name}" is not shown to the user (a calculate, a group or a question without a label), so it can never trigger "${node.name}"`,
          ),
        );
        continue;
      }
      triggers.set(target, [...(triggers.get(target) ?? []), node]);
    }
  };
  visit(ctx.root);
  return triggers;
}

/** Whether a question gets a body control (pyxform: not a calculate, and labelled if it is computed). */
export function isShown(node: SurveyNode): boolean {
  if (node.kind !== 'question' || node.generated === 'repeat-count') return false;
  if (!node.select && !node.qtype?.control) return false;
  return !isHiddenComputed(node);
}

/** A question computed by a calculation or a trigger and without label or hint has no control. */
export function isHiddenComputed(node: SurveyNode): boolean {
  if (node.generated || !node.row) return false;
  const computed = rowValue(node, 'calculation') !== undefined || rowValue(node, 'trigger') !== undefined;
  const shown = [...node.row.cells.keys()].some(
    (k) => k === 'label' || k.startsWith('label::') || k === 'hint' || k.startsWith('hint::'),
  );
  return computed && !shown;
}

/** The actions a triggering question's control carries. */
export function triggerActions(ctx: Ctx, triggers: Triggers, target: SurveyNode): XmlElement[] {
  return (triggers.get(target) ?? []).map((node) => {
    const ref = pathOf(node);
    if (node.qtype?.name === 'background-geopoint')
      return new XmlElement('odk:setgeopoint', { ref, event: 'xforms-value-changed' });
    const cell = rowCell(node, 'calculation');
    const value = cell ? resolveRefs(ctx, target, cell.value.trim(), cell, node.row?.rowNumber ?? null) : '';
    return new XmlElement('setvalue', { ref, event: 'xforms-value-changed', ...(value ? { value } : {}) });
  });
}
