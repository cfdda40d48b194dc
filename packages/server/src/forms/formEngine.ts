import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as XFormsEngine from '@getodk/xforms-engine';
import type { XmlNode } from '@outpost/core';
import { attribute, countByName, elementChildren, parseXml } from '@outpost/core';

type Engine = typeof XFormsEngine;
type LoadedForm = Awaited<ReturnType<Engine['loadForm']>>;

/** A rule of the form that a submitted instance breaks. */
export interface InstanceViolation {
  /** The question's instance path, e.g. `/data/head/head_register_number` (`[n]` inside repeats). */
  field: string;
  condition: 'type' | 'required' | 'constraint';
  message: string;
}

let enginePromise: Promise<Engine> | null = null;
let globalsPromise: Promise<void> | null = null;

/**
 * The ODK engine expects a browser: it gets a jsdom window's DOM classes as globals (only those
 * missing, so nothing of Node's is replaced) and the `__dirname`/`require` its bundled WASM loader
 * reads. Call before importing `@getodk/xforms-engine`; later calls are free.
 */
export function installEngineGlobals(): Promise<void> {
  globalsPromise ??= (async () => {
    const { JSDOM } = await import('jsdom');
    const { window } = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
    const g = globalThis as Record<string, unknown>;
    const w = window as unknown as Record<string, unknown>;
    for (const key of [
      'window',
      'document',
      'DOMParser',
      'XMLSerializer',
      'Node',
      'Element',
      'Document',
      'XPathResult',
      'NodeFilter',
      'Attr',
      'Text',
      'XMLDocument',
    ]) {
      if (g[key] === undefined) g[key] = w[key];
    }
    const enginePath = createRequire(import.meta.url).resolve('@getodk/xforms-engine');
    g['__dirname'] ??= fileURLToPath(new URL('.', `file://${enginePath}`));
    g['require'] ??= createRequire(enginePath);
  })();
  return globalsPromise;
}

/** Loads the engine ahead of the first form that needs it (a validation worker at start). */
export async function loadEngine(): Promise<void> {
  await engine();
}

/** Loaded on first use so servers that never see a form pay nothing. */
function engine(): Promise<Engine> {
  enginePromise ??= installEngineGlobals().then(() => import('@getodk/xforms-engine'));
  return enginePromise;
}

interface CachedForm {
  /** The form in the engine, loaded on first need: the main thread only ever needs `shape`. */
  loaded: Promise<LoadedForm> | null;
  shape: FormShape;
  /** Validations run one at a time per form: they share the engine's reactive scope. */
  queue: Promise<unknown>;
  restoredSinceReset: number;
}

// Loaded forms, least recently used first.
const cache = new Map<string, CachedForm>();
const CACHE_LIMIT = 50;
// Every restored instance lives in the loaded form's reactive scope until the scope is reset.
const RESTORES_PER_RESET = 25;

interface FormShape {
  /** bind nodeset -> XForms data type, for the type checks the engine does not report. */
  types: Map<string, string>;
  /** Paths of repeats in the primary instance. */
  repeatPaths: Set<string>;
  /** Path of every element of the primary instance (no positions), e.g. `/data/head/head_dob`. */
  elementPaths: Set<string>;
  /** Selects whose choices come from an attached file (an entity list CSV). */
  externalSelects: Set<string>;
}

const JAVAROSA = 'http://openrosa.org/javarosa';

function shapeOf(xform: string): FormShape {
  const types = new Map<string, string>();
  const repeatPaths = new Set<string>();
  const elementPaths = new Set<string>();
  const externalInstances = new Set<string>();
  const selects: Array<{ ref: string; instance: string }> = [];
  let primarySeen = false;
  const instanceTree = (node: XmlNode, path: string): void => {
    elementPaths.add(path);
    if (node.attributes.some((a) => a.localName === 'template' && a.namespace === JAVAROSA)) repeatPaths.add(path);
    for (const child of elementChildren(node)) instanceTree(child, `${path}/${child.localName}`);
  };
  const visit = (node: XmlNode): void => {
    if (node.localName === 'bind') {
      const nodeset = attribute(node, 'nodeset');
      const type = attribute(node, 'type');
      if (nodeset !== null && type !== null) types.set(nodeset.trim(), type.replace(/^xsd:/, ''));
      return;
    }
    if (node.localName === 'itemset') {
      const source = /^\s*instance\(\s*'([^']+)'\s*\)/.exec(attribute(node, 'nodeset') ?? '');
      if (source?.[1] !== undefined && ref !== null) selects.push({ ref, instance: source[1] });
      return;
    }
    if (node.localName === 'instance') {
      const src = attribute(node, 'src');
      const id = attribute(node, 'id');
      if (src !== null && id !== null) externalInstances.add(id);
      const root = elementChildren(node)[0];
      if (!primarySeen && attribute(node, 'id') === null && root !== undefined) {
        primarySeen = true;
        instanceTree(root, `/${root.localName}`);
      }
      return;
    }
    const outer = ref;
    if (['select1', 'select', 'rank'].includes(node.localName)) ref = attribute(node, 'ref');
    for (const child of elementChildren(node)) visit(child);
    ref = outer;
  };
  let ref: string | null = null;
  visit(parseXml(xform));
  const externalSelects = new Set(selects.filter((s) => externalInstances.has(s.instance)).map((s) => s.ref.trim()));
  return { types, repeatPaths, elementPaths, externalSelects };
}

/** Where an instance leaves its form's shape, if it does. */
export interface ShapeRefusal {
  code: 'submission.unknown-element';
  field: string;
  detail: string;
}

/**
 * One pass over a submitted instance: every element must be one its form defines, and only a
 * repeat may occur more than once. `meta` is the device's to fill (ODK clients add deprecatedID, audit and the like), so
 * its contents are not checked here. The ODK engine is never asked about an instance that fails.
 */
export function checkInstanceShape(xform: string, instance: XmlNode): ShapeRefusal | null {
  const { elementPaths, repeatPaths } = cached(xform).shape;
  const rootPath = `/${instance.localName}`;
  const metaPath = `${rootPath}/meta`;
  const walk = (node: XmlNode, path: string, indexed: string): ShapeRefusal | null => {
    if (!elementPaths.has(path)) {
      return {
        code: 'submission.unknown-element',
        field: indexed,
        detail: `${indexed} is not an element of this form version.`,
      };
    }
    if (path === metaPath) return null;
    const children = elementChildren(node);
    const counts = countByName(children);
    const seen = new Map<string, number>();
    for (const child of children) {
      const n = (seen.get(child.localName) ?? 0) + 1;
      seen.set(child.localName, n);
      const childPath = `${path}/${child.localName}`;
      const repeated = (counts.get(child.localName) ?? 0) > 1;
      const childIndexed = `${indexed}/${child.localName}${repeated ? `[${n}]` : ''}`;
      if (repeated && n === 2 && !repeatPaths.has(childPath) && elementPaths.has(childPath)) {
        return {
          code: 'submission.unknown-element',
          field: childIndexed,
          detail: `${childPath} is not a repeat of this form version: it may appear once.`,
        };
      }
      const found = walk(child, childPath, childIndexed);
      if (found !== null) return found;
    }
    return null;
  };
  return walk(instance, rootPath, rootPath);
}

/** Paths of the form's repeats, e.g. `/data/members`. */
export function repeatPathsOf(xform: string): ReadonlySet<string> {
  return cached(xform).shape.repeatPaths;
}

async function load(xform: string): Promise<LoadedForm> {
  const odk = await engine();
  return odk.loadForm(xform, {
    // Attachments (entity lists, CSVs, media) only feed choices and lookups; validating what a
    // device already computed does not need them.
    fetchFormAttachment: () => Promise.resolve(new Response('', { status: 404 })),
    missingResourceBehavior: odk.constants.MISSING_RESOURCE_BEHAVIOR.BLANK,
  });
}

function cached(xform: string): CachedForm {
  // Keyed by content: a published version's XForm never changes, so nothing needs invalidating.
  // The text itself is the key: a Map compares long strings by length and bytes, far cheaper
  // than hashing the whole XForm for every submission (the cache holds the text anyway).
  const key = xform;
  let entry = cache.get(key);
  if (entry !== undefined) {
    cache.delete(key);
    cache.set(key, entry);
    return entry;
  }
  entry = { loaded: null, shape: shapeOf(xform), queue: Promise.resolve(), restoredSinceReset: 0 };
  cache.set(key, entry);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return entry;
}

function loadedForm(xform: string, entry: CachedForm): Promise<LoadedForm> {
  entry.loaded ??= load(xform);
  return entry.loaded;
}

/** Null when the XForm loads in the ODK engine, else the engine's reason. */
export async function formLoadError(xform: string): Promise<string | null> {
  try {
    const form = await loadedForm(xform, cached(xform));
    return form.status === 'failure' ? (form.error?.message ?? 'the form does not load') : null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const date = '\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const time = '([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?(Z|[+-]\\d{2}(:?\\d{2})?)?';
const number = '[-+]?(\\d+(\\.\\d*)?|\\.\\d+)';
const point = `${number}\\s+${number}(\\s+${number}){0,2}`;
const typeRules: Record<string, { pattern: RegExp; message: string }> = {
  int: { pattern: /^[-+]?\d+$/, message: 'is not a whole number' },
  integer: { pattern: /^[-+]?\d+$/, message: 'is not a whole number' },
  decimal: { pattern: new RegExp(`^${number}([eE][-+]?\\d+)?$`), message: 'is not a number' },
  date: { pattern: new RegExp(`^${date}$`), message: 'is not a date (YYYY-MM-DD)' },
  dateTime: { pattern: new RegExp(`^${date}T${time}$`), message: 'is not a date and time' },
  time: { pattern: new RegExp(`^${time}$`), message: 'is not a time (HH:MM:SS)' },
  geopoint: { pattern: new RegExp(`^${point}$`), message: 'is not a location ("lat lon [alt acc]")' },
  geotrace: { pattern: new RegExp(`^${point}(\\s*;\\s*${point})*;?$`), message: 'is not a line of locations' },
  geoshape: { pattern: new RegExp(`^${point}(\\s*;\\s*${point})*;?$`), message: 'is not a shape of locations' },
  boolean: { pattern: /^(true|false|1|0)$/, message: 'is not true or false' },
};

function outOfRange(type: string, value: string): boolean {
  if (type !== 'geopoint' && type !== 'geotrace' && type !== 'geoshape') return false;
  return value
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .some((p) => {
      const [lat, lon] = p.split(/\s+/).map(Number);
      return lat === undefined || lon === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180;
    });
}

/**
 * Values whose text does not parse as their bind's type; the engine silently reads them as blank.
 * Both validators check these first, and judge the instance further only when there are none.
 */
export function typeViolations(xform: string, instance: XmlNode): InstanceViolation[] {
  const { types } = cached(xform).shape;
  const found: InstanceViolation[] = [];
  const walk = (node: XmlNode, path: string, indexed: string): void => {
    const children = elementChildren(node);
    if (children.length === 0) {
      const value = node.children
        .filter((c) => typeof c === 'string')
        .join('')
        .trim();
      const type = types.get(path);
      const rule = type === undefined ? undefined : typeRules[type];
      if (value !== '' && type !== undefined && rule !== undefined) {
        if (!rule.pattern.test(value) || outOfRange(type, value)) {
          found.push({ field: indexed, condition: 'type', message: `"${value}" ${rule.message}` });
        }
      }
      return;
    }
    const counts = countByName(children);
    const seen = new Map<string, number>();
    for (const child of children) {
      const n = (seen.get(child.localName) ?? 0) + 1;
      seen.set(child.localName, n);
      const repeated = (counts.get(child.localName) ?? 0) > 1;
      walk(child, `${path}/${child.localName}`, `${indexed}/${child.localName}${repeated ? `[${n}]` : ''}`);
    }
  };
  walk(instance, `/${instance.localName}`, `/${instance.localName}`);
  return found;
}

/** The n-th (1-based) child element with this name, without building the list of all of them. */
function nthChild(node: XmlNode, name: string | undefined, position: number): XmlNode | undefined {
  let n = 0;
  for (const c of node.children) {
    if (typeof c !== 'string' && c.localName === name && ++n === position) return c;
  }
  return undefined;
}

function answered(instance: XmlNode, indexedPath: string): boolean {
  let node: XmlNode | undefined = instance;
  const steps = indexedPath.split('/').filter((step) => step !== '');
  for (const step of steps.slice(1)) {
    const match = /^([^[]+)(?:\[(\d+)\])?$/.exec(step);
    const name = match?.[1];
    const position = Number(match?.[2] ?? '1');
    node = node === undefined ? undefined : nthChild(node, name, position);
  }
  return node !== undefined && node.children.some((c) => typeof c === 'string' && c.trim() !== '');
}

/**
 * Checks a submitted instance against its form: value types, then required and constraint rules
 * as the ODK engine evaluates them on the restored instance (relevance included, so questions
 * that were not asked are not required). On the calling thread: the server calls
 * `validateInWorker.ts`, which runs this in a worker; only that worker calls it.
 */
export async function validateInstanceHere(
  xform: string,
  instanceXml: string,
  instance: XmlNode,
): Promise<InstanceViolation[]> {
  const entry = cached(xform);
  const typed = typeViolations(xform, instance);
  if (typed.length > 0) return typed;
  const run = entry.queue.then(async () => {
    const form = await loadedForm(xform, entry);
    if (form.status === 'failure') throw form.error ?? new Error('the form does not load');
    const data = new FormData();
    data.set('xml_submission_file', new File([instanceXml], 'xml_submission_file', { type: 'text/xml' }));
    let violations: InstanceViolation[];
    try {
      const restored = await form.restoreInstance({ data: [data] as never });
      violations = restored.root.validationState.violations.map((v) => ({
        field: v.reference,
        condition: v.violation.condition,
        message:
          v.violation.message?.asString ??
          (v.violation.condition === 'required' ? 'is required' : 'does not meet its constraint'),
      }));
    } catch (err) {
      violations = [
        {
          field: `/${instance.localName}`,
          condition: 'constraint',
          message: `the instance does not fit the form: ${err instanceof Error ? err.message : String(err)}`,
        },
      ];
    }
    // Entity lists are not loaded for validation (they change with every submission), so the
    // engine sees a choice from one as unanswered: the device's answer is trusted instead.
    violations = violations.filter(
      (v) =>
        !(
          v.condition === 'required' &&
          entry.shape.externalSelects.has(v.field.replace(/\[\d+\]/g, '')) &&
          answered(instance, v.field)
        ),
    );
    entry.restoredSinceReset += 1;
    if (entry.restoredSinceReset >= RESTORES_PER_RESET) {
      entry.restoredSinceReset = 0;
      // Disposes the scope holding every instance restored so far.
      form.resetInstance();
    }
    return violations;
  });
  entry.queue = run.catch(() => undefined);
  return run;
}
