import type { FieldInfo, FormSummary } from '@outpost/core';
import type { XmlNode } from '@outpost/core';
import { attribute, elementChildren, parseXml, textContent } from '@outpost/core';

/** What a question is compared by: its summary fields and the rules its bind carries. */
export type FieldAspect =
  | 'type'
  | 'label'
  | 'required'
  | 'relevant'
  | 'constraint'
  | 'calculation'
  | 'readonly'
  | 'choices'
  | 'sensitivity'
  | 'saveTo'
  | 'repeat';

export interface AspectChange {
  aspect: FieldAspect;
  /** The label's language (`default` without translations); null for the other aspects. */
  language: string | null;
  /** Before and after, as text; null when the question had none. */
  before: string | null;
  after: string | null;
}

export interface FieldRef {
  path: string;
  name: string;
  type: string;
  labels: Record<string, string>;
}

export interface FormDiff {
  /** The version compared with; null when nothing of this form is published yet. */
  previousVersion: string | null;
  added: FieldRef[];
  removed: FieldRef[];
  changed: Array<FieldRef & { changes: AspectChange[] }>;
}

export interface ComparedVersion {
  version: string;
  summary: FormSummary;
  xform: string;
}

interface BindRules {
  required: string | null;
  relevant: string | null;
  constraint: string | null;
  calculation: string | null;
  readonly: string | null;
  choices: string | null;
}

const NO_RULES: BindRules = {
  required: null,
  relevant: null,
  constraint: null,
  calculation: null,
  readonly: null,
  choices: null,
};

/** An XForm expression as its author wrote it: `${name}` for each question path, spaces collapsed. */
function readable(expression: string, fields: readonly FieldInfo[]): string {
  let out = expression;
  for (const field of [...fields].sort((a, b) => b.path.length - a.path.length)) {
    const escaped = field.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`${escaped}(?![\\w.-])`, 'g'), `\${${field.name}}`);
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Per question path, the rules of its bind and the choice values of its select (joined by ", "). */
function rulesOf(xform: string, fields: readonly FieldInfo[]): Map<string, BindRules> {
  const rules = new Map<string, BindRules>();
  const instances = new Map<string, string[]>();
  const selects: Array<{ ref: string; instance: string }> = [];
  const rule = (value: string | null): string | null => {
    const trimmed = value?.trim() ?? '';
    return trimmed === '' || trimmed === 'false()' ? null : readable(trimmed, fields);
  };
  const visit = (node: XmlNode, ref: string | null): void => {
    if (node.localName === 'bind') {
      const nodeset = attribute(node, 'nodeset')?.trim();
      if (nodeset === undefined) return;
      rules.set(nodeset, {
        required: rule(attribute(node, 'required')),
        relevant: rule(attribute(node, 'relevant')),
        constraint: rule(attribute(node, 'constraint')),
        calculation: rule(attribute(node, 'calculate')),
        readonly: rule(attribute(node, 'readonly')),
        choices: null,
      });
      return;
    }
    if (node.localName === 'instance') {
      const id = attribute(node, 'id');
      const root = elementChildren(node)[0];
      if (id !== null && root !== undefined) {
        const names = elementChildren(root).map((item) => {
          const name = elementChildren(item).find((c) => c.localName === 'name' || c.localName === 'value');
          return name === undefined ? '' : textContent(name).trim();
        });
        instances.set(id, names);
      }
      return;
    }
    if (node.localName === 'itemset' && ref !== null) {
      const source = /^\s*instance\(\s*'([^']+)'\s*\)/.exec(attribute(node, 'nodeset') ?? '');
      if (source?.[1] !== undefined) selects.push({ ref, instance: source[1] });
      return;
    }
    const inner = ['select1', 'select', 'rank'].includes(node.localName)
      ? (attribute(node, 'ref')?.trim() ?? ref)
      : ref;
    for (const child of elementChildren(node)) visit(child, inner);
  };
  visit(parseXml(xform), null);
  for (const { ref, instance } of selects) {
    const names = instances.get(instance);
    const choices = names === undefined ? `${instance}.csv` : names.join(', ');
    rules.set(ref, { ...(rules.get(ref) ?? NO_RULES), choices });
  }
  return rules;
}

function ref(field: FieldInfo): FieldRef {
  return { path: field.path, name: field.name, type: field.type, labels: field.labels };
}

function fieldChanges(
  before: FieldInfo,
  after: FieldInfo,
  beforeRules: BindRules,
  afterRules: BindRules,
): AspectChange[] {
  const changes: AspectChange[] = [];
  const compare = (aspect: FieldAspect, a: string | null, b: string | null): void => {
    if (a !== b) changes.push({ aspect, language: null, before: a, after: b });
  };
  compare('type', before.type, after.type);
  for (const language of [...new Set([...Object.keys(before.labels), ...Object.keys(after.labels)])].sort()) {
    const a = before.labels[language] ?? null;
    const b = after.labels[language] ?? null;
    if (a !== b) changes.push({ aspect: 'label', language, before: a, after: b });
  }
  for (const aspect of ['required', 'relevant', 'constraint', 'calculation', 'readonly', 'choices'] as const) {
    compare(aspect, beforeRules[aspect], afterRules[aspect]);
  }
  compare('sensitivity', before.sensitivity, after.sensitivity);
  compare('saveTo', before.saveTo, after.saveTo);
  compare('repeat', String(before.repeat), String(after.repeat));
  return changes;
}

/**
 * The questions a new version adds, removes and changes against the published one, matched by
 * instance path (a renamed or moved question is one removed and one added, as devices see it).
 */
export function diffForms(previous: ComparedVersion | null, next: { summary: FormSummary; xform: string }): FormDiff {
  if (previous === null) {
    return { previousVersion: null, added: next.summary.fields.map(ref), removed: [], changed: [] };
  }
  const beforeRules = rulesOf(previous.xform, previous.summary.fields);
  const afterRules = rulesOf(next.xform, next.summary.fields);
  const before = new Map(previous.summary.fields.map((f) => [f.path, f]));
  const after = new Map(next.summary.fields.map((f) => [f.path, f]));
  const diff: FormDiff = { previousVersion: previous.version, added: [], removed: [], changed: [] };
  for (const field of next.summary.fields) {
    const old = before.get(field.path);
    if (old === undefined) {
      diff.added.push(ref(field));
      continue;
    }
    const changes = fieldChanges(
      old,
      field,
      beforeRules.get(field.path) ?? NO_RULES,
      afterRules.get(field.path) ?? NO_RULES,
    );
    if (changes.length > 0) diff.changed.push({ ...ref(field), changes });
  }
  for (const field of previous.summary.fields) if (!after.has(field.path)) diff.removed.push(ref(field));
  return diff;
}
