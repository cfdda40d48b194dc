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

/** What a held change becomes when it is applied without what it was waiting for. */
export function forcedDeclaration(declaration: EntityDeclaration, currentVersion: number | null): EntityDeclaration {
  if (currentVersion === null) {
    return {
      ...declaration,
      create: true,
      update: false,
      label: declaration.label ?? declaration.entityId,
      baseVersion: null,
      trunkVersion: null,
      branchId: null,
    };
  }
  // Applied on whatever version is current, as if the device had seen it.
  return {
    ...declaration,
    create: false,
    update: true,
    baseVersion: currentVersion,
    trunkVersion: null,
    branchId: null,
  };
}
