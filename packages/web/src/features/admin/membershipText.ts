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

export function areaChoices(i18n: I18n, areas: readonly AreaOption[]): AreaChoice[] {
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const depthOf = (area: AreaOption, seen = 0): number => {
    const parent = area.parentCode === null ? undefined : byCode.get(area.parentCode);
    return parent === undefined || seen > 20 ? 0 : 1 + depthOf(parent, seen + 1);
  };
  return areas.map((area) => {
    const parent = area.parentCode === null ? undefined : byCode.get(area.parentCode);
    return {
      code: area.code,
      name: areaName(i18n, area),
      parent: parent === undefined ? null : areaName(i18n, parent),
      depth: depthOf(area),
      search: [area.code, ...Object.values(area.names)].join(' ').toLocaleLowerCase(),
    };
  });
}
