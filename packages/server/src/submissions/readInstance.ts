import type { XmlNode } from '@outpost/core';
import { XmlLimitError, attribute, countByName, elementChildren, ownText, parseXml } from '@outpost/core';

/**
 * What one submitted instance may hold. The shipped household registration is about 150 elements
 * with ten members; 2,000 leaves room for long repeats (150 rows of a dozen questions). The bound
 * matters because the ODK engine's validation costs about 4 ms per element and still runs on the
 * event loop. Groups nest a few levels; 32 is far beyond any real form.
 */
export const instanceLimits = { maxElements: 2_000, maxDepth: 32 } as const;

/** What the server needs from a submitted XForm instance before it knows the form. */
export interface InstanceHeader {
  root: XmlNode;
  /** The instance root's name, e.g. `data`. */
  rootName: string;
  formId: string;
  version: string;
  instanceId: string;
  /** `meta/deprecatedID`: the instance this one edits (replaces), or null for a new submission. */
  deprecatedId: string | null;
}

export type ReadInstanceResult =
  | { ok: true; instance: InstanceHeader }
  | { ok: false; code: 'submission.invalid' | 'submission.too-many-elements'; detail: string; field?: string };

function child(node: XmlNode, name: string): XmlNode | undefined {
  return elementChildren(node).find((c) => c.localName === name);
}

/** Parses the instance and reads its form id, version and `meta/instanceID` (any namespace, as ODK does). */
export function readInstance(xml: string): ReadInstanceResult {
  let root: XmlNode;
  try {
    root = parseXml(xml, instanceLimits);
  } catch (err) {
    if (err instanceof XmlLimitError) {
      return {
        ok: false,
        code: 'submission.too-many-elements',
        detail: `The instance has ${err.message}; the limit is ${err.value}.`,
      };
    }
    return {
      ok: false,
      code: 'submission.invalid',
      detail: `The body is not an XForm instance: ${err instanceof Error ? err.message : String(err)}.`,
    };
  }
  const formId = attribute(root, 'id');
  if (formId === null || formId === '') {
    return {
      ok: false,
      code: 'submission.invalid',
      detail: `The instance root <${root.localName}> has no id attribute naming its form.`,
    };
  }
  const meta = child(root, 'meta');
  const idNode = meta === undefined ? undefined : child(meta, 'instanceID');
  const instanceId = idNode === undefined ? '' : ownText(idNode);
  if (instanceId === '') {
    return {
      ok: false,
      code: 'submission.invalid',
      detail: 'The instance has no meta/instanceID.',
      field: `/${root.localName}/meta/instanceID`,
    };
  }
  if (instanceId.length > 200) {
    return {
      ok: false,
      code: 'submission.invalid',
      detail: 'The instanceID is longer than 200 characters.',
      field: `/${root.localName}/meta/instanceID`,
    };
  }
  const deprecatedNode = meta === undefined ? undefined : child(meta, 'deprecatedID');
  const deprecatedId = deprecatedNode === undefined ? '' : ownText(deprecatedNode).trim();
  if (deprecatedId === instanceId) {
    return {
      ok: false,
      code: 'submission.invalid',
      detail: 'The instance names itself as the submission it edits.',
      field: `/${root.localName}/meta/deprecatedID`,
    };
  }
  return {
    ok: true,
    instance: {
      root,
      rootName: root.localName,
      formId,
      version: attribute(root, 'version') ?? '',
      instanceId,
      deprecatedId: deprecatedId === '' ? null : deprecatedId,
    },
  };
}

export type JsonProjection = { [key: string]: string | JsonProjection | JsonProjection[] | string[] };

/**
 * The instance as JSON for querying: groups become objects, repeats arrays (also a repeat
 * answered once, when its path is in `repeatPaths`), answers strings, and attributes `@name`
 * keys (the entity block carries its id and versions that way).
 */
export function projectInstance(root: XmlNode, repeatPaths: ReadonlySet<string>): JsonProjection {
  const convert = (node: XmlNode, path: string): string | JsonProjection => {
    const children = elementChildren(node);
    if (children.length === 0 && node.attributes.length === 0) return ownText(node);
    const out: JsonProjection = {};
    for (const a of node.attributes) {
      if (a.namespace === '') out[`@${a.localName}`] = a.value;
    }
    if (children.length === 0) {
      const value = ownText(node);
      if (value !== '') out['#text'] = value;
      return out;
    }
    const siblings = countByName(children);
    for (const c of children) {
      const childPath = `${path}/${c.localName}`;
      const value = convert(c, childPath);
      if ((siblings.get(c.localName) ?? 0) > 1 || repeatPaths.has(childPath)) {
        const list = (out[c.localName] ?? []) as Array<string | JsonProjection>;
        list.push(value);
        out[c.localName] = list as JsonProjection[] | string[];
      } else {
        out[c.localName] = value;
      }
    }
    return out;
  };
  const projected = convert(root, `/${root.localName}`);
  return typeof projected === 'string' ? {} : projected;
}
