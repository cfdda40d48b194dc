/** Labels, hints and messages: inline text, or itext ids when translated or carrying media. */
import { MEDIA_KINDS, REF, type Ctx, type SurveyNode } from './model.js';
import { pathOf, resolveRefs } from './references.js';
import { NO_APP_ERROR_STRING, translations, type Cell } from './sheetTable.js';
import { XmlElement, type XmlChild } from './XmlElement.js';

/** Splits label text with `${ref}` into text and <output/> nodes, references resolved from `node`. */
export function textWithOutputs(
  ctx: Ctx,
  node: SurveyNode,
  cell: Cell,
  where: { row: number | null; sheet: string } = { row: node.row?.rowNumber ?? null, sheet: ctx.surveySheet },
): XmlChild[] {
  const out: XmlChild[] = [];
  let last = 0;
  const text = cell.value;
  for (const m of text.matchAll(REF)) {
    const index = m.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    const resolved = resolveRefs(ctx, node, m[0], cell, where.row, 'expression', where.sheet);
    out.push(new XmlElement('output', { value: resolved }));
    last = index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function addItext(ctx: Ctx, lang: string, id: string, form: string, content: XmlChild[]): void {
  ctx.languages.add(lang);
  let byId = ctx.itext.get(lang);
  if (!byId) {
    byId = new Map();
    ctx.itext.set(lang, byId);
  }
  let forms = byId.get(id);
  if (!forms) {
    forms = new Map();
    byId.set(id, forms);
  }
  if (!ctx.itextIds.includes(id)) ctx.itextIds.push(id);
  forms.set(form, content);
}

export function labelsOf(ctx: Ctx, node: SurveyNode, base: 'label' | 'hint'): Map<string, Cell> {
  const override = base === 'label' ? node.labelOverride : node.hintOverride;
  if (override !== undefined) return override ?? new Map<string, Cell>();
  if (!node.row || node.generated) return new Map<string, Cell>();
  return translations(node.row, base, ctx.defaultLanguage);
}

export function mediaOf(ctx: Ctx, node: SurveyNode): Map<string, Map<string, Cell>> {
  const out = new Map<string, Map<string, Cell>>();
  if (!node.row || node.generated) return out;
  for (const [kind] of MEDIA_KINDS) {
    const m = translations(node.row, `media:${kind}`, ctx.defaultLanguage);
    if (m.size > 0) out.set(kind, m);
  }
  return out;
}

export function isTranslated(texts: Map<string, Cell>, defaultLanguage: string): boolean {
  return [...texts.keys()].some((l) => l !== defaultLanguage) || texts.size > 1;
}

/** Builds <label>/<hint>; text goes through itext when translated or when media is attached. */
export function textElement(
  ctx: Ctx,
  node: SurveyNode,
  base: 'label' | 'hint',
  idBase: string,
  extraMedia: Map<string, Map<string, Cell>>,
): XmlElement | null {
  const texts = labelsOf(ctx, node, base);
  // Guidance hints are shown on request only, so they live in itext as the hint's "guidance" form.
  const guidance =
    base === 'hint' && node.row && !node.generated
      ? translations(node.row, 'guidance_hint', ctx.defaultLanguage)
      : new Map<string, Cell>();
  const useItext = isTranslated(texts, ctx.defaultLanguage) || extraMedia.size > 0 || guidance.size > 0;
  if (!useItext) {
    const cell = texts.get(ctx.defaultLanguage);
    if (!cell) return null;
    return new XmlElement(base, {}, textWithOutputs(ctx, node, cell));
  }
  const id = `${idBase}:${base}`;
  for (const [lang, cell] of texts) addItext(ctx, lang, id, '', textWithOutputs(ctx, node, cell));
  for (const [lang, cell] of guidance) addItext(ctx, lang, id, 'guidance', textWithOutputs(ctx, node, cell));
  for (const [kind, byLang] of extraMedia) {
    const prefix = (MEDIA_KINDS.find(([k]) => k === kind) as [string, string, string])[2];
    for (const [lang, cell] of byLang) addItext(ctx, lang, id, kind, [`${prefix}${cell.value.trim()}`]);
  }
  return new XmlElement(base, { ref: `jr:itext('${id}')` });
}

/**
 * A message attribute (constraint, required, the app-missing string): the text itself, or an itext
 * reference when translated or when it shows a `${ref}` (an attribute cannot hold an <output/>).
 */
export function messageAttribute(
  ctx: Ctx,
  node: SurveyNode,
  base: 'constraint_message' | 'required_message' | typeof NO_APP_ERROR_STRING,
  attr: string,
): string | undefined {
  if (!node.row || node.generated) return undefined;
  const texts = translations(node.row, base, ctx.defaultLanguage);
  if (texts.size === 0) return undefined;
  const single = isTranslated(texts, ctx.defaultLanguage) ? undefined : texts.get(ctx.defaultLanguage);
  if (single && base === NO_APP_ERROR_STRING)
    return resolveRefs(ctx, node, single.value.trim(), single, node.row.rowNumber);
  if (single && !/\$\{/.test(single.value)) return single.value;
  const id = `${pathOf(node)}:${attr}`;
  for (const [lang, cell] of texts) addItext(ctx, lang, id, '', textWithOutputs(ctx, node, cell));
  return `jr:itext('${id}')`;
}

/** Every itext id exists in every language; missing text becomes "-" as pyxform does. */
export function itextElement(ctx: Ctx): XmlElement | null {
  if (ctx.itext.size === 0) return null;
  const itext = new XmlElement('itext');
  const langs = [...ctx.itext.keys()];
  const hasLong = new Set<string>();
  for (const byId of ctx.itext.values()) for (const [id, forms] of byId) if (forms.has('')) hasLong.add(id);
  for (const lang of langs) {
    const translation = new XmlElement('translation', { lang });
    if (lang === ctx.defaultLanguage) translation.attr('default', 'true()');
    const byId = ctx.itext.get(lang) as Map<string, Map<string, XmlChild[]>>;
    for (const id of ctx.itextIds) {
      const forms = byId.get(id) ?? new Map<string, XmlChild[]>();
      const text = new XmlElement('text', { id });
      for (const [form, content] of forms) {
        if (form !== '') text.append(new XmlElement('value', { form }, content));
      }
      const long = forms.get('');
      if (long) text.append(new XmlElement('value', {}, long));
      else if (hasLong.has(id)) text.append(new XmlElement('value', {}, ['-']));
      translation.append(text);
    }
    itext.append(translation);
  }
  return itext;
}
