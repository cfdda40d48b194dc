import type { AreaOption, ProjectMember } from '../../api/OutpostApi.js';
import type { I18n } from '../../i18n/createI18n.js';

/** An area's name in the app's language (then English, Mongolian, any), never its code unless it has no name. */
export function areaName(i18n: I18n, area: Pick<AreaOption, 'code' | 'names'>): string {
  const names = area.names;
  return names[i18n.language()] ?? names['en'] ?? names['mn'] ?? Object.values(names)[0] ?? area.code;
}

/** What a membership reaches, in words: "Khoroo 1, Khoroo 2", "Team north", "Whole project" … */
export function scopeText(i18n: I18n, member: ProjectMember): string {
  if (member.wholeProject) return i18n.t('members.wholeProject');
  const parts = member.areas.map((a) => areaName(i18n, a));
  if (member.team !== null) parts.push(i18n.t('members.teamNamed', { team: member.team }));
  return parts.length === 0 ? i18n.t('members.ownOnly') : parts.join(', ');
}

/** An area with where it sits, for the picker: its name, its parent's name, and its depth. */
export interface AreaChoice {
  readonly code: string;
  readonly name: string;
  readonly parent: string | null;
  readonly depth: number;
  /** Lower-cased names in every language and the code, for the filter. */
  readonly search: string;
}

/**
 * The picker's rows: the hierarchy depth first, each area followed by what is inside it, siblings
 * by name in natural order (Khoroo 2 before Khoroo 10).
 */
export function areaChoices(i18n: I18n, areas: readonly AreaOption[]): AreaChoice[] {
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const children = new Map<string | null, AreaOption[]>();
  for (const area of areas) {
    const parent = area.parentCode !== null && byCode.has(area.parentCode) ? area.parentCode : null;
    children.set(parent, [...(children.get(parent) ?? []), area]);
  }
  const collator = new Intl.Collator(i18n.language(), { numeric: true, sensitivity: 'base' });
  const out: AreaChoice[] = [];
  const visit = (parentCode: string | null, parentName: string | null, depth: number): void => {
    const siblings = (children.get(parentCode) ?? []).map((area) => ({ area, name: areaName(i18n, area) }));
    siblings.sort((a, b) => collator.compare(a.name, b.name));
    for (const { area, name } of siblings) {
      out.push({
        code: area.code,
        name,
        parent: parentName,
        depth,
        search: [area.code, ...Object.values(area.names)].join(' ').toLocaleLowerCase(),
      });
      if (depth < 20) visit(area.code, name, depth + 1);
    }
  };
  visit(null, null, 0);
  return out;
}
