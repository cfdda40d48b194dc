/**
 * Reads the rules of one XForm that decide whether an instance is valid: the primary instance's
 * shape and defaults, the binds, the secondary instances, the repeat counts and the messages.
 * Every expression the verdict depends on is parsed here, once per form version; what the compiled
 * validator does not cover is reported as the reason to use the ODK engine instead.
 */
import type { XmlNode } from '@outpost/core';
import { attribute, elementChildren, parseXml, textContent } from '@outpost/core';
import { supportedFunctions } from './xpathFunctions.js';
import type { Ast } from './xpathParse.js';
import { UnsupportedExpression, parseXPath } from './xpathParse.js';

const JAVAROSA = 'http://openrosa.org/javarosa';

export interface TemplateNode {
  name: string;
  /** Path without positions, e.g. `/data/members/member_dob`. */
  path: string;
  repeat: boolean;
  /** The repeat count expression (`jr:count`), for repeats that have one. */
  count: Ast | null;
  children: TemplateNode[];
  attributes: Array<{ name: string; value: string }>;
  /** The default value of a leaf. */
  value: string;
  bind: BindRules | null;
}

export interface BindRules {
  relevant: Ast | null;
  required: Ast | null;
  constraint: Ast | null;
  calculate: Ast | null;
  /** The XForms data type without its prefix (`string` when the bind names none). */
  type: string;
  constraintMessage: string | null;
  requiredMessage: string | null;
}

export interface FormRules {
  root: TemplateNode;
  /** Secondary instances by id: the inline ones with their items, attached files as empty. */
  instances: Map<string, XmlNode | null>;
  /** Paths of selects whose choices come from an attached file (an entity list). */
  externalSelects: Set<string>;
  /** Every select by path: the engine keeps only the answers that are among its current choices. */
  selects: Map<string, SelectRules>;
}

export interface SelectRules {
  multiple: boolean;
  /** The itemset's nodeset and the value of each item, evaluated at the question. */
  itemset: { nodeset: Ast; value: Ast } | null;
  /** The values of choices written in the body (`<item>`). */
  items: string[];
}

export type FormRulesResult = { ok: true; rules: FormRules } | { ok: false; reason: string };

class Unsupported extends Error {}

function fail(why: string): never {
  throw new Unsupported(why);
}

function parse(expression: string | null, used: Set<string>): Ast | null {
  if (expression === null || expression.trim() === '') return null;
  const ast = parseXPath(expression);
  collectNames(ast, used, expression);
  return ast;
}

/** Checks every function is supported and notes every element name an expression reads. */
function collectNames(ast: Ast, names: Set<string>, expression: string): void {
  switch (ast.k) {
    case 'fn':
      if (!supportedFunctions.has(ast.name)) {
        throw new UnsupportedExpression(expression, `the function ${ast.name}()`);
      }
      for (const a of ast.args) collectNames(a, names, expression);
      return;
    case 'bin':
    case 'union':
      collectNames(ast.l, names, expression);
      collectNames(ast.r, names, expression);
      return;
    case 'neg':
      collectNames(ast.e, names, expression);
      return;
    case 'filter':
      collectNames(ast.e, names, expression);
      for (const p of ast.preds) collectNames(p, names, expression);
      return;
    case 'path':
      if (typeof ast.start === 'object') collectNames(ast.start, names, expression);
      for (const s of ast.steps) {
        if (s.test.kind === 'name') names.add(s.test.name);
        if (s.test.kind === 'any') names.add('*');
        for (const p of s.preds) collectNames(p, names, expression);
      }
      return;
    default:
      return;
  }
}

function itextMessages(model: XmlNode): Map<string, string> {
  const messages = new Map<string, string>();
  const itext = elementChildren(model).find((n) => n.localName === 'itext');
  if (itext === undefined) return messages;
  const translations = elementChildren(itext).filter((n) => n.localName === 'translation');
  const chosen = translations.find((t) => attribute(t, 'default') !== null) ?? translations[0];
  for (const text of chosen === undefined ? [] : elementChildren(chosen)) {
    const id = attribute(text, 'id');
    const value = elementChildren(text).find((v) => v.localName === 'value' && attribute(v, 'form') === null);
    if (id !== null && value !== undefined) messages.set(id, textContent(value));
  }
  return messages;
}

function message(raw: string | null, itext: Map<string, string>): string | null {
  if (raw === null) return null;
  const ref = /^\s*jr:itext\(\s*'([^']*)'\s*\)\s*$/.exec(raw);
  if (ref === null) return raw;
  return itext.get(ref[1] as string) ?? null;
}

function jrAttribute(node: XmlNode, name: string): string | null {
  return node.attributes.find((a) => a.localName === name && a.namespace === JAVAROSA)?.value ?? null;
}

/** Reads an XForm's validity rules, or the reason the compiled validator cannot judge it. */
export function readFormRules(xform: string): FormRulesResult {
  try {
    return { ok: true, rules: read(parseXml(xform)) };
  } catch (err) {
    if (err instanceof UnsupportedExpression || err instanceof Unsupported) return { ok: false, reason: err.message };
    throw err;
  }
}

function read(doc: XmlNode): FormRules {
  const head = elementChildren(doc).find((n) => n.localName === 'head');
  const body = elementChildren(doc).find((n) => n.localName === 'body');
  const model = head === undefined ? undefined : elementChildren(head).find((n) => n.localName === 'model');
  if (model === undefined || body === undefined) throw new Unsupported('the form has no model or no body');
  const itext = itextMessages(model);
  const instances = new Map<string, XmlNode | null>();
  let primary: XmlNode | undefined;
  for (const inst of elementChildren(model).filter((n) => n.localName === 'instance')) {
    const id = attribute(inst, 'id');
    if (id === null) primary ??= elementChildren(inst)[0];
    else instances.set(id, attribute(inst, 'src') !== null ? null : inst);
  }
  if (primary === undefined) throw new Unsupported('the form has no primary instance');

  // Every bind's expressions, and the names each reads.
  const binds = new Map<string, { rules: BindRules; reads: Set<string> }>();
  const calculations = new Map<string, { reads: Set<string>; error: Error | null }>();
  for (const bind of elementChildren(model).filter((n) => n.localName === 'bind')) {
    const nodeset = attribute(bind, 'nodeset')?.trim();
    if (nodeset === undefined) continue;
    if (binds.has(nodeset)) throw new Unsupported(`two binds for ${nodeset}`);
    const reads = new Set<string>();
    const calcReads = new Set<string>();
    let calculate: Ast | null = null;
    let calcError: Error | null = null;
    try {
      calculate = parse(attribute(bind, 'calculate'), calcReads);
    } catch (err) {
      calcError = err as Error;
    }
    const rules: BindRules = {
      relevant: parse(attribute(bind, 'relevant'), reads),
      required: parse(attribute(bind, 'required'), reads),
      constraint: parse(attribute(bind, 'constraint'), reads),
      calculate,
      type: (attribute(bind, 'type') ?? 'string').replace(/^xsd:/, ''),
      constraintMessage: message(jrAttribute(bind, 'constraintMsg'), itext),
      requiredMessage: message(jrAttribute(bind, 'requiredMsg'), itext),
    };
    binds.set(nodeset, { rules, reads });
    calculations.set(nodeset, { reads: calcReads, error: calcError });
  }

  // Repeat counts and selects from the body.
  const counts = new Map<string, Ast>();
  const countReads = new Set<string>();
  const externalSelects = new Set<string>();
  const selects = new Map<string, SelectRules>();
  const visit = (node: XmlNode, ref: string | null): void => {
    if (['select1', 'select'].includes(node.localName)) {
      const path = attribute(node, 'ref')?.trim();
      if (path === undefined) throw new Unsupported('a select without a ref');
      const kids = elementChildren(node);
      const itemset = kids.find((k) => k.localName === 'itemset');
      const valueRef =
        itemset === undefined ? undefined : elementChildren(itemset).find((k) => k.localName === 'value');
      const itemValue = (item: XmlNode): string =>
        textContent(elementChildren(item).find((k) => k.localName === 'value') ?? item).trim();
      selects.set(path, {
        multiple: node.localName === 'select',
        itemset:
          itemset === undefined
            ? null
            : {
                nodeset: parse(attribute(itemset, 'nodeset'), countReads) ?? fail('an itemset without a nodeset'),
                value: parse(attribute(valueRef ?? itemset, 'ref'), countReads) ?? fail('an itemset without a value'),
              },
        items: kids.filter((k) => k.localName === 'item').map(itemValue),
      });
    }
    if (node.localName === 'repeat') {
      const count = jrAttribute(node, 'count');
      const nodeset = attribute(node, 'nodeset')?.trim();
      if (count !== null && nodeset !== undefined) counts.set(nodeset, parse(count, countReads) as Ast);
    }
    if (node.localName === 'itemset' && ref !== null) {
      const source = /^\s*instance\(\s*'([^']+)'\s*\)/.exec(attribute(node, 'nodeset') ?? '');
      if (source?.[1] !== undefined && instances.get(source[1]) === null) externalSelects.add(ref.trim());
    }
    const inner = ['select1', 'select', 'rank'].includes(node.localName) ? attribute(node, 'ref') : ref;
    for (const child of elementChildren(node)) visit(child, inner);
  };
  visit(body, null);

  // A calculation matters when a rule reads its name (or reads through one that does).
  const needed = new Set<string>(countReads);
  for (const { reads } of binds.values()) for (const n of reads) needed.add(n);
  const usedCalculations = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [nodeset, calc] of calculations) {
      const name = (nodeset.split('/').pop() ?? '').replace(/^@/, '');
      if (usedCalculations.has(nodeset) || !(needed.has('*') || needed.has(name))) continue;
      if (calc.error !== null) throw calc.error;
      usedCalculations.add(nodeset);
      grew = true;
      for (const n of calc.reads) needed.add(n);
    }
  }
  for (const [nodeset, { rules }] of binds) if (!usedCalculations.has(nodeset)) rules.calculate = null;

  const template = (node: XmlNode, path: string): TemplateNode => {
    const children: TemplateNode[] = [];
    const seen = new Set<string>();
    for (const child of elementChildren(node)) {
      if (seen.has(child.localName)) continue;
      seen.add(child.localName);
      children.push(template(child, `${path}/${child.localName}`));
    }
    for (const a of node.attributes) {
      if (binds.get(`${path}/@${a.localName}`)?.rules.calculate != null) {
        throw new Unsupported(`a calculated attribute ${path}/@${a.localName} that a rule reads`);
      }
    }
    return {
      name: node.localName,
      path,
      repeat: jrAttribute(node, 'template') !== null,
      count: counts.get(path) ?? null,
      children,
      attributes: node.attributes
        .filter((a) => a.namespace === '' && a.localName !== 'xmlns')
        .map((a) => ({ name: a.localName, value: a.value })),
      value: children.length === 0 ? textContent(node) : '',
      bind: binds.get(path)?.rules ?? null,
    };
  };
  return { root: template(primary, `/${primary.localName}`), instances, externalSelects, selects };
}
