import type { SurveyRow } from './formDefinition.js';

/**
 * The follow-up-form rule of docs/entities.md: every question an update form saves to the entity
 * starts from the entity's current value, so a question the worker never touches sends back what
 * the case already holds instead of a blank (ODK writes a present blank answer as empty).
 *
 * Each answerable `save_to` row gets ODK's "dynamic default from the selected entity": a `trigger`
 * on the question that picks the entity and a `calculation` reading the property from the entity
 * list (`instance('<list>')/root/item[name=${id}]/<property>`), written when the entity is chosen
 * and editable afterwards. A literal default stays the fallback for an entity without a value.
 * Left alone: calculates (the form decides those values), questions with a computed default such
 * as `today()` (a new answer for this event, like the visit's date) and the names in `except`.
 */
export function prefillFromEntity(
  listName: string,
  idQuestion: string,
  rows: readonly SurveyRow[],
  except: readonly string[] = [],
): SurveyRow[] {
  return rows.map((row) => {
    const property = row.saveTo;
    if (property === undefined || row.type === 'calculate' || row.name === undefined) return row;
    if (except.includes(row.name) || (row.default !== undefined && /\(/.test(row.default))) return row;
    const current = `instance('${listName}')/root/item[name=\${${idQuestion}}]/${property}`;
    const calculation = row.default === undefined ? current : `coalesce(${current}, '${row.default}')`;
    return { ...row, trigger: `\${${idQuestion}}`, calculation };
  });
}
