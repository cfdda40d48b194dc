/**
 * The compiled validator: judges a parsed instance by its form's rules (formRules.ts) as the ODK
 * engine does on a restored instance, without building the engine's reactive form. What it
 * reproduces, each checked against the engine by the differential tests:
 * - the instance is laid over the form's primary instance: an element the device left out takes
 *   the form's default; repeats keep the instances sent, and a `jr:count` repeat is cut or padded
 *   to its count (a blank or unreadable count is zero);
 * - calculations a rule reads are computed again from the instance, not taken from it;
 * - a question that is not relevant (itself or a group around it) reads as blank and is not
 *   checked; a select whose choices come from an attached file (entity list) reads as blank, as
 *   the engine does without the file, but counts as answered for `required`;
 * - a select's answers are kept only where they are among its choices (inline items and itemsets
 *   alike), but the engine's first check of a question reads the answer as sent and is redone
 *   with the kept answers only when its relevance changes: so the answers are filtered only for a
 *   select not relevant in the default instance. A single select's answer is not trimmed: spaces
 *   only are no choice, so such a select reads blank ("required"); a multiple select's answer is
 *   a space-separated list (spaces only: blank). A text answered with spaces only is answered;
 * - `required` is broken by a blank relevant question, `constraint` by an answered one; the
 *   violations come in document order, repeat instances named with their position.
 */
import type { XmlNode } from '@outpost/core';
import { elementChildren } from '@outpost/core';
import type { InstanceViolation } from '../formEngine.js';
import type { FormRules, SelectRules, TemplateNode } from './formRules.js';
import type { Context, EvalEnv, Value, XNode } from './xpathEvaluate.js';
import { compile, toBoolean, toNumber, toString } from './xpathEvaluate.js';
import type { Ast } from './xpathParse.js';

/** Repeat instances a `jr:count` may ask for; the engine has no such bound, a bigger count is not judged here. */
const MAX_COUNT = 1_000;

class VNode implements XNode {
  kind: 'document' | 'element' | 'attribute';
  children: VNode[] = [];
  attributes: VNode[] = [];
  order = 0;
  /** Position among the repeat's instances (1-based), 0 outside repeats. */
  index = 0;
  relevantMemo: boolean | undefined;
  valueMemo: string | undefined;
  computing = false;
  constructor(
    kind: 'document' | 'element' | 'attribute',
    readonly name: string,
    readonly parent: VNode | null,
    readonly template: TemplateNode | null,
    public raw: string,
  ) {
    this.kind = kind;
  }
}

/** A secondary instance as evaluation nodes (read-only: nothing in it is relevant or calculated). */
function staticTree(node: XmlNode, parent: VNode | null, counter: { n: number }): VNode {
  const kids = elementChildren(node);
  const text = kids.length === 0 ? node.children.filter((c) => typeof c === 'string').join('') : '';
  const v = new VNode('element', node.localName, parent, null, text);
  v.order = counter.n++;
  v.attributes = node.attributes.map((a) => {
    const attr = new VNode('attribute', a.localName, v, null, a.value);
    attr.order = counter.n++;
    return attr;
  });
  v.children = kids.map((k) => staticTree(k, v, counter));
  return v;
}

/** A form's secondary instances as evaluation nodes, and the order the primary instance's nodes start at. */
interface SecondaryInstances {
  secondary: ReadonlyMap<string, VNode>;
  base: number;
}

/**
 * The secondary instances of a form version, built once and shared by every judgment: nothing
 * writes to them (they are not relevant or calculated: `read` gives their text as it is).
 */
const secondaryInstances = new WeakMap<FormRules, SecondaryInstances>();

function secondaryOf(rules: FormRules): SecondaryInstances {
  let built = secondaryInstances.get(rules);
  if (built === undefined) {
    const counter = { n: 0 };
    const secondary = new Map<string, VNode>();
    for (const [id, node] of rules.instances) {
      const d = new VNode('document', '#document', null, null, '');
      if (node !== null) d.children = elementChildren(node).map((c) => staticTree(c, d, counter));
      secondary.set(id, d);
    }
    built = { secondary, base: counter.n };
    secondaryInstances.set(rules, built);
  }
  return built;
}

function leafText(node: XmlNode): string {
  return node.children.filter((c) => typeof c === 'string').join('');
}

function build(t: TemplateNode, sent: XmlNode | undefined, parent: VNode): VNode {
  const v = new VNode('element', t.name, parent, t, t.children.length === 0 ? (sent ? leafText(sent) : t.value) : '');
  v.attributes = t.attributes.map((a) => {
    const given = sent?.attributes.find((x) => x.namespace === '' && x.localName === a.name);
    return new VNode('attribute', a.name, v, null, given?.value ?? a.value);
  });
  const sentChildren = sent === undefined ? [] : elementChildren(sent);
  for (const child of t.children) {
    if (child.repeat) {
      let i = 0;
      for (const s of sentChildren) if (s.localName === child.name) addRepeat(v, child, s, ++i);
    } else {
      v.children.push(
        build(
          child,
          sentChildren.find((s) => s.localName === child.name),
          v,
        ),
      );
    }
  }
  return v;
}

function addRepeat(parent: VNode, t: TemplateNode, sent: XmlNode | undefined, index: number, at?: number): void {
  const inst = build(t, sent, parent);
  inst.index = index;
  if (at === undefined) parent.children.push(inst);
  else parent.children.splice(at, 0, inst);
}

function number(nodes: VNode[], start: number): number {
  let n = start;
  for (const node of nodes) {
    node.order = n++;
    for (const a of node.attributes) a.order = n++;
    n = number(node.children, n);
  }
  return n;
}

export class CountTooLarge extends Error {}

/**
 * The instance's violations of its form's rules. Throws (a TypeError from an expression, or
 * CountTooLarge) when it cannot judge this instance: the caller asks the engine instead.
 */
export function judge(rules: FormRules, instance: XmlNode): InstanceViolation[] {
  let initially = initialRelevance.get(rules);
  if (initially === undefined) {
    initially = probeRelevance(rules);
    initialRelevance.set(rules, initially);
  }
  return judgeWith(rules, instance, initially).violations;
}

const initialRelevance = new WeakMap<FormRules, ReadonlyMap<string, boolean>>();

/** The form's default instance (one instance of each repeat), as a device would start it. */
function defaultInstance(t: TemplateNode): XmlNode {
  return {
    namespace: '',
    localName: t.name,
    attributes: t.attributes.map((a) => ({ namespace: '', localName: a.name, value: a.value })),
    children: t.children.length === 0 ? [t.value] : t.children.map(defaultInstance),
  };
}

/**
 * Which selects are relevant in the form's default instance. Found by the differential tests: the
 * engine restores an instance over the defaults, and a select that becomes relevant only then
 * keeps only the answers among its choices; a select relevant from the start keeps its answer.
 */
function probeRelevance(rules: FormRules): ReadonlyMap<string, boolean> {
  return judgeWith(rules, defaultInstance(rules.root), null).selectRelevance;
}

function judgeWith(
  rules: FormRules,
  instance: XmlNode,
  initially: ReadonlyMap<string, boolean> | null,
): { violations: InstanceViolation[]; selectRelevance: Map<string, boolean> } {
  const doc = new VNode('document', '#document', null, null, '');
  const root = build(rules.root, instance, doc);
  doc.children = [root];
  const { secondary, base } = secondaryOf(rules);
  number([doc], base);

  const env: EvalEnv = {
    root: doc,
    instance: (id) => secondary.get(id) ?? null,
    text: (node) => read(node as VNode),
  };
  const run = (ast: Ast, node: VNode): Value => {
    const ctx: Context = { node, position: 1, size: 1, current: node, env, filtering: null };
    return compile(ast)(ctx);
  };
  const relevant = (node: VNode): boolean => {
    if (node.relevantMemo !== undefined) return node.relevantMemo;
    let result = node.parent === null || node.parent.kind === 'document' ? true : relevant(node.parent);
    const expr = node.template?.bind?.relevant;
    if (result && expr) result = toBoolean(run(expr, node));
    node.relevantMemo = result;
    return result;
  };
  const read = (node: VNode): string => {
    if (node.kind !== 'element' || node.template === null) return node.raw;
    if (node.valueMemo !== undefined) return node.valueMemo;
    if (node.computing) return node.raw;
    node.computing = true;
    let value: string;
    if (!relevant(node)) value = '';
    else if (node.template.bind?.calculate) value = toString(run(node.template.bind.calculate, node), env);
    else value = typedValue(node.raw, node.template.bind?.type ?? 'string');
    const select = rules.selects.get(node.template.path);
    // A multiple select's answer is a list: space around and between answers does not count.
    if (select?.multiple)
      value = value
        .split(/\s+/)
        .filter((v) => v !== '')
        .join(' ');
    if (select !== undefined && initially !== null && initially.get(node.template.path) !== true) {
      value = chosen(select, value, node);
    }
    node.computing = false;
    node.valueMemo = value;
    return value;
  };

  /** The answers of a select that are among its choices at this node, as the engine keeps them. */
  const chosen = (select: SelectRules, value: string, node: VNode): string => {
    let options: string[] = select.items;
    if (select.itemset !== null) {
      const items = run(select.itemset.nodeset, node);
      if (!Array.isArray(items)) throw new TypeError('an itemset that is not a node-set');
      const value = compile(select.itemset.value);
      options = items.map((item) =>
        toString(value({ node: item, position: 1, size: 1, current: node, env, filtering: null }), env),
      );
    }
    if (!select.multiple) return options.includes(value) ? value : '';
    return value
      .split(/\s+/)
      .filter((v) => v !== '' && options.includes(v))
      .join(' ');
  };

  // Repeat counts first, outermost first, then everything is read afresh.
  const applyCounts = (node: VNode): void => {
    const t = node.template;
    if (t !== null) {
      for (const child of t.children) {
        if (!child.repeat || child.count === null) continue;
        const want = Math.trunc(toNumber(run(child.count, node), env));
        const n = Number.isFinite(want) && want > 0 ? want : 0;
        if (n > MAX_COUNT) throw new CountTooLarge(`jr:count asks for ${n} repeats`);
        const instances = node.children.filter((c) => c.template === child);
        for (const extra of instances.slice(n)) node.children.splice(node.children.indexOf(extra), 1);
        if (instances.length < n) {
          const last = instances.length === 0 ? -1 : node.children.indexOf(instances[instances.length - 1] as VNode);
          const at =
            last >= 0
              ? last + 1
              : node.children.findIndex(
                  (c) => c.template !== null && t.children.indexOf(c.template) > t.children.indexOf(child),
                );
          for (let i = instances.length; i < n; i++) {
            addRepeat(node, child, undefined, i + 1, at < 0 ? undefined : at + (i - instances.length));
          }
        }
        number([doc], base);
        clearMemos(doc);
      }
    }
    for (const c of node.children) applyCounts(c);
  };
  applyCounts(root);

  const violations: InstanceViolation[] = [];
  const selectRelevance = new Map<string, boolean>();
  const walk = (node: VNode, path: string): void => {
    const t = node.template;
    if (t === null) return;
    const here = node.index > 0 ? `${path}/${t.name}[${node.index}]` : `${path}/${t.name}`;
    if (rules.selects.has(t.path)) selectRelevance.set(t.path, selectRelevance.get(t.path) === true || relevant(node));
    if (!relevant(node)) return;
    const bind = t.bind;
    if (t.children.length === 0 && bind !== null) {
      const blank = rules.externalSelects.has(t.path) ? typedValue(node.raw, bind.type) === '' : read(node) === '';
      if (blank && bind.required && toBoolean(run(bind.required, node))) {
        violations.push({ field: here, condition: 'required', message: bind.requiredMessage ?? 'is required' });
      } else if (!blank && bind.constraint && !toBoolean(run(bind.constraint, node))) {
        violations.push({
          field: here,
          condition: 'constraint',
          message: bind.constraintMessage ?? 'does not meet its constraint',
        });
      }
    }
    for (const c of node.children) walk(c, here);
  };
  walk(root, '');
  return { violations, selectRelevance };
}

/**
 * A value as the engine holds it: text as sent; a number in its plain form (`007` is 7, `1e3` is
 * 1000); a date, time or location with space around it as blank. Values of the wrong type never
 * get here.
 */
function typedValue(raw: string, type: string): string {
  if (type === 'string') return raw;
  const trimmed = raw.trim();
  if ((type === 'int' || type === 'integer' || type === 'decimal') && trimmed !== '') return String(Number(trimmed));
  // A date or time with space around it does not parse in the engine: it reads as blank.
  return trimmed === raw ? raw : '';
}

function clearMemos(node: VNode): void {
  node.relevantMemo = undefined;
  node.valueMemo = undefined;
  for (const c of node.children) clearMemos(c);
}
