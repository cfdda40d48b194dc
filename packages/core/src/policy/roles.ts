// Roles as capability sets, with the field view each role gets by default. This is the single
// list the server, the CLI and the web app read; projects adjust it with ProjectRoleOverride
// (see ./projectGrants.ts), never by editing these defaults.
import type { LocationPrecision } from './locationPrecision.js';
import type { SensitivityClass } from './sensitivity.js';

export const roles = ['admin', 'supervisor', 'fieldworker', 'analyst', 'partner', 'law-enforcement'] as const;
export type Role = (typeof roles)[number];

export const capabilities = [
  'users.manage',
  'projects.manage',
  'forms.publish',
  'cases.read',
  'cases.write',
  'cases.assign',
  'cases.merge',
  'conflicts.resolve',
  'submissions.review',
  'exports.run',
  'audit.read',
  'incidents.evidence.read',
] as const;
export type Capability = (typeof capabilities)[number];

/** What a role is shown of a record's fields: per sensitivity class, and how precise locations are. */
export interface FieldView {
  show: Readonly<Record<SensitivityClass, boolean>>;
  location: LocationPrecision;
}

export interface RoleDefinition {
  capabilities: readonly Capability[];
  view: FieldView;
}

const everything: FieldView = {
  show: { normal: true, location: true, sensitive: true, identifying: true },
  location: 'exact',
};

// Why each default: field staff and supervisors work with named households inside their scope;
// analysts need health/income figures but not who they belong to, nor the dwelling's exact
// position; donors/partners get aggregates only (a project may give them an area level); law
// enforcement reads evidence-bearing lists (incidents) in full and nothing else (see can.ts).
const definitions: Record<Role, RoleDefinition> = {
  admin: { capabilities, view: everything },
  supervisor: {
    capabilities: [
      'cases.read',
      'cases.write',
      'cases.assign',
      'cases.merge',
      'conflicts.resolve',
      'submissions.review',
      'exports.run',
    ],
    view: everything,
  },
  fieldworker: { capabilities: ['cases.read', 'cases.write'], view: everything },
  analyst: {
    capabilities: ['cases.read', 'submissions.review', 'exports.run'],
    view: { show: { normal: true, location: true, sensitive: true, identifying: false }, location: { grid: 1000 } },
  },
  partner: {
    capabilities: ['cases.read'],
    view: { show: { normal: true, location: true, sensitive: false, identifying: false }, location: 'hidden' },
  },
  'law-enforcement': { capabilities: ['incidents.evidence.read'], view: everything },
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function isCapability(value: string): value is Capability {
  return (capabilities as readonly string[]).includes(value);
}

/** The built-in definition of a role, before any project override. */
export function roleDefinition(role: Role): RoleDefinition {
  return definitions[role];
}

/** The built-in capabilities of a role (account level; projects may adjust them per membership). */
export function capabilitiesOf(role: Role): readonly Capability[] {
  return definitions[role].capabilities;
}

export function roleHas(role: Role, capability: Capability): boolean {
  return definitions[role].capabilities.includes(capability);
}
