/** The choices sheet: lists read from rows, and each list emitted as a secondary instance. */
import { issue } from './issues.js';
import { addItext, textWithOutputs } from './itext.js';
import { MEDIA_KINDS, XML_NAME, type ChoiceList, type Ctx } from './model.js';
import { translations, type Cell, type SheetTable } from './sheetTable.js';
import { XmlElement } from './XmlElement.js';

export function readChoices(ctx: Ctx, table: SheetTable, allowDuplicates: boolean): void {
  for (const row of table.rows) {
    const listCell = row.cells.get('list_name');
    const list = listCell?.value.trim();
    // pyxform reads the choices' "value" column as "name".
    const nameCell = row.cells.get('name') ?? row.cells.get('value');
    // A stray row with only (translated) text and neither list nor name is ignored, as pyxform does.
    if (!list && !nameCell) continue;
    if (!list) {
      ctx.issues.push(
        issue('xlsform.choice-without-list', table.name, row.rowNumber, null, 'this choice has no list_name'),
      );
      continue;
    }
    const name = nameCell?.value.trim();
    if (!name) {
      ctx.issues.push(
        issue('xlsform.missing-name', table.name, row.rowNumber, null, `the choice in list "${list}" has no name`),
      );
      continue;
    }
    let entry = ctx.lists.get(list);
    if (!entry) {
      entry = { name: list, choices: [], row: row.rowNumber };
      ctx.lists.set(list, entry);
    }
    const duplicate = entry.choices.find((c) => c.name === name);
    if (duplicate && !allowDuplicates) {
      ctx.issues.push(
        issue(
          'xlsform.duplicate-choice',
          table.name,
          row.rowNumber,
          nameCell ?? null,
          `the choice name "${name}" is already used in list "${list}" (row ${duplicate.row.rowNumber}); add allow_choice_duplicates = yes to settings if that is intended`,
        ),
      );
    }
    const labels = translations(row, 'label', ctx.defaultLanguage);
    const media = new Map<string, Map<string, Cell>>();
    for (const [kind] of MEDIA_KINDS) {
      const m = translations(row, `media:${kind}`, ctx.defaultLanguage);
      if (m.size > 0) media.set(kind, m);
    }
    const extra: Array<[string, string]> = [];
    for (const [key, cell] of row.cells) {
      if (
        key === 'list_name' ||
        key === 'name' ||
        (key === 'value' && !row.cells.has('name')) ||
        key === 'label' ||
        key.startsWith('label::') ||
        key.startsWith('media:')
      )
        continue;
      if (XML_NAME.test(key)) extra.push([cell.header.trim(), cell.value.trim()]);
    }
    entry.choices.push({ row, name, labels, media, extra });
  }
}

/** A list goes through itext when translated, with media, or when a label shows an answer (`${ref}`). */
export function listUsesItext(list: ChoiceList): boolean {
  return list.choices.some(
    (c) =>
      c.media.size > 0 ||
      [...c.labels.keys()].some((lang) => lang !== 'default' || c.labels.size > 1) ||
      [...c.labels.values()].some((cell) => /\$\{/.test(cell.value)),
  );
}

export function secondaryInstances(ctx: Ctx): XmlElement[] {
  const out: XmlElement[] = [];
  for (const list of ctx.lists.values()) {
    const itext = listUsesItext(list);
    const root = new XmlElement('root');
    list.choices.forEach((choice, index) => {
      const item = new XmlElement('item');
      if (itext) {
        const id = `${list.name}-${index}`;
        item.append(new XmlElement('itextId', {}, [id]));
        const where = { row: choice.row.rowNumber, sheet: choice.row.sheet };
        for (const [lang, cell] of choice.labels)
          addItext(ctx, lang, id, '', textWithOutputs(ctx, ctx.root, cell, where));
        for (const [kind, byLang] of choice.media) {
          const prefix = (MEDIA_KINDS.find(([k]) => k === kind) as [string, string, string])[2];
          for (const [lang, cell] of byLang) addItext(ctx, lang, id, kind, [`${prefix}${cell.value.trim()}`]);
        }
      }
      item.append(new XmlElement('name', {}, [choice.name]));
      if (!itext) {
        const label = choice.labels.get(ctx.defaultLanguage);
        if (label) item.append(new XmlElement('label', {}, [label.value]));
      }
      for (const [k, v] of choice.extra) item.append(new XmlElement(k, {}, [v]));
      root.append(item);
    });
    out.push(new XmlElement('instance', { id: list.name }, [root]));
  }
  for (const [id, src] of ctx.fileInstances) out.push(new XmlElement('instance', { id, src }));
  return out;
}
