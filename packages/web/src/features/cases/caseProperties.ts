import { parseGeoPoint, type GeoPoint } from '../../forms/geo.js';
import type { ProjectVocabulary } from '../forms/formVocabulary.js';

/** One property of a case as the case page lists it: the form's words, never the raw name. */
export interface PropertyLine {
  readonly property: string;
  readonly label: string;
  readonly value: string;
}

/** A value that is a geopoint (`lat lon [alt acc]`): shown on the map, not as numbers. */
export function geoPointOf(value: unknown): GeoPoint | undefined {
  return typeof value === 'string' && /^-?\d+(\.\d+)?\s+-?\d+(\.\d+)?(\s|$)/.test(value.trim())
    ? parseGeoPoint(value.trim())
    : undefined;
}

/** A select's value(s) in the form's words; anything the forms do not name stays as it is. */
export function valueText(
  vocabulary: ProjectVocabulary,
  list: string,
  property: string,
  value: unknown,
  language: string,
): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  if (text === '') return '';
  const words = text.split(/\s+/);
  const named = words.map((w) => vocabulary.choiceLabel(list, property, w, language));
  return named.every((n) => n !== undefined) ? named.join(', ') : text;
}

/**
 * The properties of a case that its forms ask for, labelled by their questions in `language`, in
 * the order the device holds them. Envelope values (`__…`), blanks, locations (the map shows them)
 * and anything no form names are left out: the screen shows no raw codes.
 */
export function propertyLines(
  properties: Readonly<Record<string, unknown>>,
  list: string,
  vocabulary: ProjectVocabulary,
  language: string,
): PropertyLine[] {
  const lines: PropertyLine[] = [];
  for (const [property, raw] of Object.entries(properties)) {
    if (property.startsWith('__') || geoPointOf(raw) !== undefined) continue;
    const label = vocabulary.propertyLabel(list, property, language);
    const value = valueText(vocabulary, list, property, raw, language);
    if (label === undefined || value === '') continue;
    lines.push({ property, label, value });
  }
  return lines;
}
