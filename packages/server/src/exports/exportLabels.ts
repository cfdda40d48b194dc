import type { XmlNode } from '@outpost/core';
import { attribute, elementChildren, parseXml, textContent } from '@outpost/core';
import type { ExportTable } from './exportShape.js';

/** The languages an export's labels may be asked in (the app's languages). */
export const exportLanguages = ['en', 'mn', 'tpi'] as const;
export type ExportLanguage = (typeof exportLanguages)[number];

/** Question labels and choice labels of one language, by instance path. */
interface FormLabels {
  readonly questions: Map<string, string>;
  readonly choices: Map<string, Map<string, string>>;
}

const XFORMS_LABEL = 'label';

/** `English (en)` → `en`; a bare code stays as it is. */
function languageCode(lang: string): string {
  return /\(([^)]+)\)\s*$/.exec(lang)?.[1]?.trim() ?? lang.trim();
}

function walk(node: XmlNode, visit: (node: XmlNode) => void): void {
  visit(node);
  for (const child of elementChildren(node)) walk(child, visit);
}

/** The itext of `language` (falling back to the form's default translation) by text id. */
function itextOf(root: XmlNode, language: string): Map<string, string> {
  const translations: XmlNode[] = [];
  walk(root, (n) => {
    if (n.localName === 'translation') translations.push(n);
  });
  const ordered = [
    ...translations.filter((t) => attribute(t, 'default') !== null),
    ...translations.filter((t) => attribute(t, 'default') === null),
  ];
  const chosen = translations.find((t) => languageCode(attribute(t, 'lang') ?? '') === language);
  const texts = new Map<string, string>();
  // The chosen language wins; a text it lacks comes from the default translation, then any other.
  for (const translation of [...ordered].reverse().concat(chosen === undefined ? [] : [chosen])) {
    for (const text of elementChildren(translation)) {
      const id = attribute(text, 'id');
      const value = elementChildren(text).find((v) => v.localName === 'value' && attribute(v, 'form') === null);
      if (id !== null && value !== undefined && textContent(value).trim() !== '')
        texts.set(id, textContent(value).trim());
    }
  }
  return texts;
}

function labelText(label: XmlNode | undefined, itext: Map<string, string>): string | null {
  if (label === undefined) return null;
  const ref = /^\s*jr:itext\(\s*'([^']*)'\s*\)\s*$/.exec(attribute(label, 'ref') ?? '');
  if (ref !== null) return itext.get(ref[1] ?? '') ?? null;
  const text = textContent(label).trim();
  return text === '' ? null : text;
}

function child(node: XmlNode, name: string): XmlNode | undefined {
  return elementChildren(node).find((c) => c.localName === name);
}

/** A select's choices: inline `<item>`s, or an itemset over a secondary instance (`itextId` or `label`). */
function choicesOf(select: XmlNode, instances: Map<string, XmlNode>, itext: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const itemset = child(select, 'itemset');
  if (itemset === undefined) {
    for (const item of elementChildren(select).filter((c) => c.localName === 'item')) {
      const value = child(item, 'value');
      const label = labelText(child(item, XFORMS_LABEL), itext);
      if (value !== undefined && label !== null) out.set(textContent(value).trim(), label);
    }
    return out;
  }
  const match = /^\s*instance\(\s*'([^']+)'\s*\)\/root\/item/.exec(attribute(itemset, 'nodeset') ?? '');
  const instance = match?.[1] === undefined ? undefined : instances.get(match[1]);
  if (instance === undefined) return out;
  const valueRef = attribute(child(itemset, 'value') ?? itemset, 'ref') ?? 'name';
  walk(instance, (item) => {
    if (item.localName !== 'item') return;
    const value = child(item, valueRef);
    if (value === undefined) return;
    const itextId = child(item, 'itextId');
    const label =
      itextId !== undefined ? (itext.get(textContent(itextId).trim()) ?? null) : labelText(child(item, 'label'), itext);
    if (label !== null) out.set(textContent(value).trim(), label);
  });
  return out;
}

/** The question and choice labels of an XForm in `language` (the default translation where it has none). */
export function formLabels(xform: string, language: string): FormLabels {
  const root = parseXml(xform);
  const itext = itextOf(root, language);
  const instances = new Map<string, XmlNode>();
  const controls: XmlNode[] = [];
  walk(root, (node) => {
    if (node.localName === 'instance') {
      const id = attribute(node, 'id');
      if (id !== null && attribute(node, 'src') === null) instances.set(id, node);
    } else if (attribute(node, 'ref') !== null && child(node, XFORMS_LABEL) !== undefined) controls.push(node);
  });
  const questions = new Map<string, string>();
  const choices = new Map<string, Map<string, string>>();
  for (const control of controls) {
    const ref = (attribute(control, 'ref') ?? '').trim();
    const label = labelText(child(control, XFORMS_LABEL), itext);
    if (label !== null && !questions.has(ref)) questions.set(ref, label);
    if (control.localName === 'select1' || control.localName === 'select') {
      choices.set(ref, choicesOf(control, instances, itext));
    }
  }
  return { questions, choices };
}

/**
 * The tables with their column headers and select answers in `language`: a question's label names
 * its column (its name where the form has no label; a geopoint's parts keep their suffix), and a
 * select's values are replaced by their choice labels (several, for a select_multiple, joined by
 * "; "). Keys, system columns and table names stay as ODK Central names them.
 */
export function labelTables(tables: readonly ExportTable[], xform: string, language: string): ExportTable[] {
  const labels = formLabels(xform, language);
  return tables.map((table) => ({
    ...table,
    columns: table.columns.map((column) => {
      const path = `${table.path}/${column.steps.join('/')}`;
      const question = labels.questions.get(path);
      const suffix = column.part === undefined ? '' : column.header.slice(column.header.lastIndexOf('-'));
      const choices = labels.choices.get(path);
      return {
        ...column,
        header: question === undefined ? column.header : `${question}${suffix}`,
        ...(choices !== undefined && choices.size > 0 ? { choices: Object.fromEntries(choices) } : {}),
      };
    }),
  }));
}
