import type { ProjectPolicy, ProjectRoleOverride } from '@outpost/core';
import { capabilities, roles } from '@outpost/core';
import { projectPolicyTexts, setProjectPolicyText } from '../storage/queries/policySources.js';
import type { Store } from '../storage/store.js';

/**
 * A stored policy that cannot be read must not fall back to the defaults (an override that hid
 * a class would silently disappear): every role loses every capability until it is fixed.
 */
export const unreadablePolicy: ProjectPolicy = {
  overrides: roles.map((role): ProjectRoleOverride => ({ role, remove: [...capabilities] })),
};

/** Parses the stored JSON; null/absent is the defaults, anything malformed fails closed. */
export function parseProjectPolicy(text: string | null): ProjectPolicy | undefined {
  if (text === null || text.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return unreadablePolicy;
    const { overrides, evidenceLists } = value as Record<string, unknown>;
    if (overrides !== undefined && !Array.isArray(overrides)) return unreadablePolicy;
    if (evidenceLists !== undefined && !Array.isArray(evidenceLists)) return unreadablePolicy;
    // Field-level junk inside an override is handled by core (unknown precision → hidden, ...).
    return value;
  } catch {
    return unreadablePolicy;
  }
}

/** The stored policies of these projects (all projects with one when `projectIds` is null). */
export async function loadProjectPolicies(
  projectIds: readonly string[] | null,
  store: Store,
): Promise<Record<string, ProjectPolicy>> {
  const rows = await projectPolicyTexts(projectIds, store);
  const out: Record<string, ProjectPolicy> = {};
  for (const row of rows) {
    const parsed = parseProjectPolicy(row.policy);
    if (parsed !== undefined) out[row.id] = parsed;
  }
  return out;
}

/** Stores a project's policy settings (null restores the defaults). Audit it at the caller. */
export async function saveProjectPolicy(projectId: string, policy: ProjectPolicy | null, store: Store): Promise<void> {
  const text = policy === null ? null : JSON.stringify(policy);
  await setProjectPolicyText(projectId, text, store);
}
