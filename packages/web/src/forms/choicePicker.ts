import { matchKey, variantKeys } from '@outpost/core';

// What a long choice list shows and how typing narrows it: the searchable picker of households
// (an entity list read with select_one_from_file) and of any list longer than `pickerFrom`.

/** One choice as the engine gives it: entity-list choices carry their CSV columns as properties. */
export interface PickerOption {
  readonly value: string;
  readonly label: { readonly asString: string };
  readonly properties: ReadonlyArray<readonly [string, string]>;
}

export interface PickerChoice<O extends PickerOption = PickerOption> {
  readonly option: O;
  readonly label: string;
  /** What tells this choice from another of the same label: its area, then identifying numbers. */
  readonly details: readonly string[];
}

/** Beyond this many choices a list is a picker: a filter box and only the first matches shown. */
export const pickerFrom = 12;
/** How many matches a picker shows at once; typing narrows the rest. */
export const pickerShown = 20;

/**
 * The entity-list columns that tell two cases of the same name apart: the area name the server adds
 * (`__area_name_<language>`, see docs/forms-on-the-device.md) and the person's civil register or ID number.
 */
const areaColumn = /^__area_name_([a-z]{2,3})$/;
const distinguishingColumn = /(^|_)(register_number|id_number|national_id)$/;

/** The details line of one choice: the area name in `language` (else any), then register numbers. */
export function choiceDetails(properties: PickerOption['properties'], language: string): string[] {
  const areas = new Map<string, string>();
  const numbers: string[] = [];
  for (const [name, value] of properties) {
    const text = value.trim();
    if (text === '') continue;
    const area = areaColumn.exec(name);
    if (area?.[1] !== undefined) areas.set(area[1], text);
    else if (!name.startsWith('__') && distinguishingColumn.test(name)) numbers.push(text);
  }
  const area = areas.get(language) ?? areas.get('en') ?? areas.values().next().value;
  return [...(area === undefined ? [] : [area]), ...numbers];
}

/** Lower case, accents and spacing set aside, so "ук 85" finds "УК85032715". */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase().replace(/\s+/g, '');
}

/**
 * Whether every word typed occurs in the choice's label or details: as typed (case and accents
 * aside), or by core's Cyrillic/Latin matching key, so "Bat-Erdene", "bat erdene" and "Бат-Эрдэнэ"
 * find the same household.
 */
export function matchesChoice(choice: PickerChoice, query: string): boolean {
  const words = query.split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return true;
  const text = [choice.label, ...choice.details].join(' ');
  const plain = fold(text);
  const key = matchKey(text);
  return words.every((word) => {
    if (plain.includes(fold(word))) return true;
    const keys = [matchKey(word), ...variantKeys(word)].filter((k) => k !== '');
    return keys.length > 0 && keys.some((k) => key.includes(k));
  });
}

export interface PickerView<O extends PickerOption> {
  readonly shown: readonly PickerChoice<O>[];
  /** How many choices match the query (the shown ones are the first of these). */
  readonly matching: number;
}

/**
 * The choices to show for `query`: those matching it, the first `limit` of them, and the selected
 * ones wherever they are, so an answer never disappears from view.
 */
export function pickerView<O extends PickerOption>(
  choices: readonly PickerChoice<O>[],
  query: string,
  isSelected: (value: string) => boolean,
  limit = pickerShown,
): PickerView<O> {
  const matches = choices.filter((c) => matchesChoice(c, query));
  const shown = matches.filter((c, i) => i < limit || isSelected(c.option.value));
  const selectedElsewhere = choices.filter((c) => isSelected(c.option.value) && !shown.includes(c));
  return { shown: [...selectedElsewhere, ...shown], matching: matches.length };
}

/** The options as picker choices: label and details in `language`. */
export function pickerChoices<O extends PickerOption>(options: readonly O[], language: string): PickerChoice<O>[] {
  return options.map((option) => ({
    option,
    label: option.label.asString,
    details: choiceDetails(option.properties, language),
  }));
}
