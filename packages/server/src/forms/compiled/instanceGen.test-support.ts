// Generated instances of a form for the differential tests: valid, invalid and edge values, left-out
// and extra nodes, and repeats of 0 to 50 instances. Values are drawn from what the form itself
// names (its choices and the literals of its expressions) as well as from each type's edges, so
// that relevance, constraints and choice filters are exercised both ways.
import fc from 'fast-check';
import type { XmlNode } from '@outpost/core';
import { attribute, elementChildren, parseXml, textContent } from '@outpost/core';

const JAVAROSA = 'http://openrosa.org/javarosa';

interface Shape {
  name: string;
  path: string;
  repeat: boolean;
  children: Shape[];
  attributes: Array<{ name: string; value: string }>;
}

interface FormFacts {
  root: Shape;
  types: Map<string, string>;
  choices: Map<string, string[]>;
  multiple: Set<string>;
  literals: string[];
}

function readFacts(xform: string): FormFacts {
  const doc = parseXml(xform);
  const types = new Map<string, string>();
  const choices = new Map<string, string[]>();
  const multiple = new Set<string>();
  const literals = new Set<string>();
  const lists = new Map<string, XmlNode>();
  let primary: XmlNode | undefined;
  const itemsets: Array<{ ref: string; list: string }> = [];
  const visit = (node: XmlNode, ref: string | null): void => {
    if (node.localName === 'instance') {
      const id = attribute(node, 'id');
      if (id === null) primary ??= elementChildren(node)[0];
      else lists.set(id, node);
      return;
    }
    if (node.localName === 'bind') {
      const nodeset = attribute(node, 'nodeset');
      const type = attribute(node, 'type');
      if (nodeset !== null && type !== null) types.set(nodeset, type.replace(/^xsd:/, ''));
      for (const a of node.attributes) for (const m of a.value.matchAll(/'([^']*)'/g)) literals.add(m[1] as string);
      for (const a of node.attributes) for (const m of a.value.matchAll(/\b\d+(\.\d+)?\b/g)) literals.add(m[0]);
      return;
    }
    if (node.localName === 'itemset' && ref !== null) {
      const list = /instance\('([^']+)'\)/.exec(attribute(node, 'nodeset') ?? '')?.[1];
      if (list !== undefined) itemsets.push({ ref, list });
    }
    const inner = ['select1', 'select', 'rank'].includes(node.localName) ? attribute(node, 'ref') : ref;
    if (node.localName === 'select' && inner !== null) multiple.add(inner);
    for (const child of elementChildren(node)) visit(child, inner);
  };
  visit(doc, null);
  for (const { ref, list } of itemsets) {
    const items = elementChildren(elementChildren(lists.get(list) ?? doc)[0] ?? doc);
    const names = items.map((i) => textContent(elementChildren(i).find((c) => c.localName === 'name') ?? i).trim());
    choices.set(ref, names.filter((n) => n !== '').slice(0, 40));
  }
  const shape = (node: XmlNode, path: string): Shape => {
    const seen = new Set<string>();
    const children: Shape[] = [];
    for (const c of elementChildren(node)) {
      if (seen.has(c.localName)) continue;
      seen.add(c.localName);
      children.push(shape(c, `${path}/${c.localName}`));
    }
    return {
      name: node.localName,
      path,
      repeat: node.attributes.some((a) => a.localName === 'template' && a.namespace === JAVAROSA),
      children,
      attributes: node.attributes
        .filter((a) => a.namespace === '' && a.localName !== 'xmlns')
        .map((a) => ({ name: a.localName, value: a.value })),
    };
  };
  if (primary === undefined) throw new Error('no primary instance');
  return { root: shape(primary, `/${primary.localName}`), types, choices, multiple, literals: [...literals] };
}

const today = new Date();
const iso = (d: Date): string => d.toISOString().slice(0, 10);
const DATES = ['1950-01-01', '1985-01-01', '2000-02-29', '2012-12-31', iso(today), '2099-06-15', '2030-01-01'];
/** Values of each type that the type check accepts, edges included. */
const valid: Record<string, string[]> = {
  int: ['0', '1', '-1', '5', '17', '18', '60', '99', '120', '2000', '2101', '007', '+3', ' 4 '],
  decimal: ['0', '0.5', '-2.25', '10.51', '18.39', '15', '1e3', '1.', '.5', '100'],
  date: [...DATES, ' 2001-01-01 '],
  dateTime: ['2026-03-05T10:00:00.000+10:00', '2001-01-01T00:00:00Z', '2099-01-01T00:00:00Z'],
  time: ['10:00:00', '23:59'],
  geopoint: ['-9.4 147.2 0 5', '47.9 106.9'],
  geotrace: ['-9.4 147.2 0 5;-9.5 147.3 0 5'],
  geoshape: ['-9.4 147.2;-9.5 147.3;-9.4 147.2'],
  boolean: ['true', 'false', '1', '0'],
};
/** Values the type check refuses. */
const invalid: Record<string, string[]> = {
  int: ['3.5', 'x', '1e3'],
  decimal: ['x', '1.2.3'],
  date: ['2020-13-01', 'yesterday'],
  dateTime: ['2026-03-05', 'now'],
  time: ['25:00:00'],
  geopoint: ['91 0', 'here'],
  geotrace: ['x'],
  geoshape: ['x'],
  boolean: ['maybe'],
};
const STRINGS = ['', 'a', 'other', 'yes', 'no', 'УБ85010112', 'УБ85210112', 'ИТ00241015', 'a@b.mn', '99112233', ' '];

interface Mode {
  /** Values of the wrong type may occur (then the type check decides the verdict). */
  typeNoise: boolean;
  /** An element the form does not define may occur. */
  extra: boolean;
}

function valueArb(facts: FormFacts, path: string, mode: Mode): fc.Arbitrary<string> {
  const type = facts.types.get(path) ?? 'string';
  const options = facts.choices.get(path);
  const good = valid[type];
  const arbs: Array<fc.WeightedArbitrary<string>> = [{ weight: 3, arbitrary: fc.constant('') }];
  if (good === undefined) {
    arbs.push(
      { weight: 4, arbitrary: fc.constantFrom(...STRINGS, ...facts.literals) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    );
  } else {
    const numeric = facts.literals.filter((l) => /^-?\d+(\.\d+)?$/.test(l) && (type !== 'int' || !l.includes('.')));
    arbs.push({
      weight: 6,
      arbitrary: fc.constantFrom(...good, ...(type === 'int' || type === 'decimal' ? numeric : [])),
    });
    if (mode.typeNoise) arbs.push({ weight: 2, arbitrary: fc.constantFrom(...(invalid[type] ?? ['x'])) });
  }
  if (options !== undefined && options.length > 0) {
    const one = fc.constantFrom(...options);
    arbs.push({
      weight: 8,
      arbitrary: facts.multiple.has(path)
        ? fc.uniqueArray(one, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(' '))
        : one,
    });
  }
  return fc.oneof(...arbs);
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function elementArb(facts: FormFacts, shape: Shape, depth: number, mode: Mode): fc.Arbitrary<string> {
  const attrs = shape.attributes.map((a) => ` ${a.name}="${escape(a.value)}"`).join('');
  if (shape.children.length === 0) {
    return valueArb(facts, shape.path, mode).map((v) => `<${shape.name}${attrs}>${escape(v)}</${shape.name}>`);
  }
  const parts = shape.children.map((child) => {
    if (child.repeat) {
      const count = fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }) },
        { weight: 1, arbitrary: fc.integer({ min: 4, max: depth > 0 ? 5 : 50 }) },
      );
      return count.chain((n) =>
        fc.array(elementArb(facts, child, depth + 1, mode), { minLength: n, maxLength: n }).map((xs) => xs.join('')),
      );
    }
    // A node left out now and then: the engine fills in the form's default.
    return fc.oneof(
      { weight: 12, arbitrary: elementArb(facts, child, depth, mode) },
      { weight: 1, arbitrary: fc.constant('') },
    );
  });
  const extra = mode.extra
    ? fc.oneof(
        { weight: 4, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constant('<not_in_form>1</not_in_form>') },
      )
    : fc.constant('');
  return fc
    .tuple(fc.tuple(...parts), extra)
    .map(([xs, e]) => `<${shape.name}${attrs}>${xs.join('')}${e}</${shape.name}>`);
}

/** Instances of the form as XML text, meta filled in as a device would. */
export function instanceArbitrary(xform: string): fc.Arbitrary<string> {
  const facts = readFacts(xform);
  const root = facts.root;
  const meta = root.children.find((c) => c.name === 'meta');
  const body = { ...root, children: root.children.filter((c) => c !== meta) };
  const mode = fc.record({
    typeNoise: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    extra: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });
  return mode
    .chain((m) => elementArb(facts, body, 0, m))
    .map((xml) => {
      const attrs = root.attributes.map((a) => ` ${a.name}="${escape(a.value)}"`).join('');
      const metaXml = '<meta><instanceID>uuid:4f1c1a52-8d8e-4c7e-9d55-2f7b6f7f2b11</instanceID></meta>';
      return xml
        .replace(new RegExp(`^<${root.name}[^>]*>`), `<${root.name}${attrs}>`)
        .replace(new RegExp(`</${root.name}>$`), `${metaXml}</${root.name}>`);
    });
}
