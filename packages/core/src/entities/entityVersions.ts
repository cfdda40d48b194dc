import type { EntityDeclaration } from './entityDeclaration.js';

/** A version of an entity as far as conflicts are concerned. */
export interface EntityState {
  version: number;
  label: string;
  properties: Readonly<Record<string, string>>;
}

/**
 * Where the version an update started from is found, in the server's numbering (ODK Central,
 * lib/model/query/entities.js): outside an offline branch, or at its first step (base = trunk),
 * it is the version the device names; inside a branch the device numbers versions itself, so it
 * is the version the branch's previous step made.
 */
export type BaseLookup =
  { kind: 'version'; version: number } | { kind: 'branch'; branchId: string; branchBaseVersion: number };

export function baseLookup(
  declaration: Pick<EntityDeclaration, 'baseVersion' | 'trunkVersion' | 'branchId'>,
): BaseLookup | null {
  const { baseVersion, trunkVersion, branchId } = declaration;
  if (baseVersion === null) return null;
  if (branchId === null || baseVersion === 1 || baseVersion === trunkVersion)
    return { kind: 'version', version: baseVersion };
  return { kind: 'branch', branchId, branchBaseVersion: baseVersion - 1 };
}

/**
 * The properties (and `label`) an update sets to a value other than the one another change gave
 * them since its base: a `hard` conflict when any, else `soft` (Central's rule).
 */
export function conflictingProperties(
  base: EntityState,
  current: EntityState,
  received: { label: string | null; properties: Readonly<Record<string, string>> },
): string[] {
  const changedSince = new Map<string, string>();
  for (const key of new Set([...Object.keys(current.properties), ...Object.keys(base.properties)])) {
    if (current.properties[key] !== base.properties[key]) changedSince.set(key, current.properties[key] ?? '');
  }
  if (current.label !== base.label) changedSince.set('label', current.label);
  const sent: Record<string, string> = {
    ...received.properties,
    ...(received.label === null ? {} : { label: received.label }),
  };
  return Object.keys(sent).filter((k) => changedSince.has(k) && sent[k] !== changedSince.get(k));
}

/** The label ODK Central gives a case created by force from a change that carried none. */
export const AUTO_GENERATED_LABEL = 'auto generated';

/**
 * What a held change becomes when it is forced (held longer than the backlog timeout): an update
 * of a case that never arrived creates it, from its own answers, named by its label or
 * `auto generated` (never by its id); its branch, trunk version and base version are kept, as
 * ODK Central keeps them. An update of a case that exists stays an update (applied on the latest
 * version when its base never arrived).
 */
export function forcedDeclaration(declaration: EntityDeclaration, caseExists: boolean): EntityDeclaration {
  if (caseExists) return declaration;
  const label =
    declaration.label !== null && declaration.label.trim() !== '' ? declaration.label : AUTO_GENERATED_LABEL;
  return { ...declaration, create: true, update: false, label };
}
