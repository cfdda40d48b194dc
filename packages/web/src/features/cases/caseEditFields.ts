import type { ProjectVocabulary } from '../forms/formVocabulary.js';
import { geoPointOf } from './caseProperties.js';

/** One property of a case as the edit form offers it, in the form's words. */
export interface EditField {
  readonly property: string;
  readonly label: string;
  /** The stored value (a choice's value for a select). */
  readonly value: string;
  /** `choice`: one of `choices`; `date`; `text` for the rest. */
  readonly kind: 'text' | 'date' | 'choice';
  readonly choices: readonly { readonly value: string; readonly label: string }[];
}

/**
 * The properties of a case a supervisor may edit on its page: those a form of its list saves,
 * labelled by their question, selects with their choices' labels (no raw codes on screen).
 * Envelope values (`__…`), locations and multiple choices (the forms edit those) are left out.
 */
export function editFields(
  properties: Readonly<Record<string, unknown>>,
  list: string,
  vocabulary: ProjectVocabulary,
  language: string,
): EditField[] {
  const fields: EditField[] = [];
  const seen = new Set<string>();
  for (const form of vocabulary.forms) {
    if (form.dataset !== list) continue;
    for (const saved of form.saved) {
      const { property } = saved;
      if (seen.has(property) || property.startsWith('__') || saved.type === 'select_multiple') continue;
      const raw = properties[property];
      const value = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
      if (geoPointOf(value) !== undefined || saved.type.startsWith('geo')) continue;
      const label = vocabulary.propertyLabel(list, property, language);
      if (label === undefined) continue;
      seen.add(property);
      const options = form.properties.get(property);
      const choices =
        options === undefined
          ? []
          : [...options.keys()].map((choice) => ({
              value: choice,
              label: vocabulary.choiceLabel(list, property, choice, language) ?? choice,
            }));
      const kind = choices.length > 0 ? 'choice' : saved.type === 'date' ? 'date' : 'text';
      fields.push({ property, label, value, kind, choices });
    }
  }
  return fields;
}

/** What the edit form changed: only the properties whose value differs from what was shown. */
export function changedValues(
  fields: readonly EditField[],
  edited: Readonly<Record<string, string>>,
): Record<string, string> {
  const changed: Record<string, string> = {};
  for (const field of fields) {
    const value = edited[field.property];
    if (value !== undefined && value !== field.value) changed[field.property] = value;
  }
  return changed;
}
