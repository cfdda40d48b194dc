import type { FieldInfo } from '../xlsform/types.js';
import type { SearchSchema } from './caseIndex.js';

const NAME = /(^|_)(name|family_name|fathers_name|given_name|ovog|ner)$/;
const BIRTH = /(^|_)(dob|birth_?date|date_of_birth)$/;
const SEX = /(^|_)(sex|gender)$/;
const REGISTER = /(^|_)(register_number|regno|national_id)$/;
/** Area properties by level, top first, as the templates name them. */
const AREA_LEVELS = [
  'province',
  'aimag',
  'district',
  'soum',
  'llg',
  'khoroo',
  'bag',
  'ward',
  'area',
  'protected_area',
  'office',
];

/**
 * The search schema of one entity list, read from the published forms' field catalogue: the
 * properties that forms save (`save_to`) and what their names and types say they hold. Names:
 * text properties named like `…name`; date of birth: a date named `dob` or `birth_date`; sex: a
 * select named `sex`/`gender`; register number; areas by their level names; every other select
 * property can be filtered (`needs:heating`).
 */
export function searchSchemaFromFields(fields: readonly FieldInfo[]): SearchSchema {
  const saved = new Map<string, FieldInfo>();
  for (const field of fields)
    if (field.saveTo !== null && !field.repeat && !saved.has(field.saveTo)) saved.set(field.saveTo, field);
  const names: string[] = [];
  const selects: string[] = [];
  const areas: string[] = [];
  let dobField: string | undefined;
  let sexField: string | undefined;
  let registerField: string | undefined;
  for (const [property, field] of saved) {
    const type = field.type.split(/\s+/)[0] ?? '';
    if (REGISTER.test(property)) registerField ??= property;
    else if (type === 'text' && NAME.test(property)) names.push(property);
    else if (type === 'date' && BIRTH.test(property)) dobField ??= property;
    else if (type.startsWith('select') && SEX.test(property)) sexField ??= property;
    else if (AREA_LEVELS.includes(property)) areas.push(property);
    else if (type.startsWith('select')) selects.push(property);
  }
  areas.sort((a, b) => AREA_LEVELS.indexOf(a) - AREA_LEVELS.indexOf(b));
  return {
    nameFields: names,
    areaFields: areas,
    selectFields: selects,
    ...(dobField === undefined ? {} : { dobField }),
    ...(sexField === undefined ? {} : { sexField }),
    ...(registerField === undefined ? {} : { registerField }),
  };
}
