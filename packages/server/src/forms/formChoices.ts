import type { XmlNode } from '@outpost/core';
import { attribute, elementChildren, parseXml, textContent } from '@outpost/core';

/**
 * The allowed values of each select question of an XForm, by instance path: from an `itemset`
 * over a secondary instance (`instance('need')/root/item`, the value child named by `<value
 * ref>`), or from inline `<item><value>`s. Choice filters are ignored: every value of the list is
 * allowed. Selects over an attached file (`jr://file…`) are left out, as their values are not
 * in the form.
 */
export function formChoices(xform: string): Map<string, Set<string>> {
  const root = parseXml(xform);
  const instances = new Map<string, XmlNode>();
  const body = new Array<XmlNode>();
  walk(root, (node) => {
    if (node.localName === 'instance') {
      const id = attribute(node, 'id');
      if (id !== null && attribute(node, 'src') === null) instances.set(id, node);
    } else if (node.localName === 'select1' || node.localName === 'select') body.push(node);
  });
  const out = new Map<string, Set<string>>();
  for (const select of body) {
    const ref = attribute(select, 'ref');
    if (ref === null) continue;
    const values = valuesOf(select, instances);
    if (values !== null) out.set(ref.trim(), values);
  }
  return out;
}

function walk(node: XmlNode, visit: (node: XmlNode) => void): void {
  visit(node);
  for (const child of elementChildren(node)) walk(child, visit);
}

function valuesOf(select: XmlNode, instances: Map<string, XmlNode>): Set<string> | null {
  const children = elementChildren(select);
  const itemset = children.find((c) => c.localName === 'itemset');
  if (itemset === undefined) {
    const items = children.filter((c) => c.localName === 'item');
    return new Set(
      items.map((item) => textContent(elementChildren(item).find((c) => c.localName === 'value') ?? item).trim()),
    );
  }
  const match = /^\s*instance\(\s*'([^']+)'\s*\)\/root\/item/.exec(attribute(itemset, 'nodeset') ?? '');
  const instance = match?.[1] === undefined ? undefined : instances.get(match[1]);
  if (instance === undefined) return null;
  const valueRef = attribute(elementChildren(itemset).find((c) => c.localName === 'value') ?? itemset, 'ref') ?? 'name';
  const values = new Set<string>();
  walk(instance, (node) => {
    if (node.localName !== 'item') return;
    const value = elementChildren(node).find((c) => c.localName === valueRef);
    if (value !== undefined) values.add(textContent(value).trim());
  });
  return values;
}
