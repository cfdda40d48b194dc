// Roles as capability sets. The policy module (can/redact) grows from here; this is the
// single list the server, the CLI and the web app read.

export const roles = ['admin', 'supervisor', 'fieldworker', 'analyst'] as const;
export type Role = (typeof roles)[number];

export const capabilities = [
  'users.manage',
  'projects.manage',
  'forms.publish',
  'cases.read',
  'cases.write',
  'cases.assign',
  'conflicts.resolve',
  'exports.run',
  'audit.read',
] as const;
export type Capability = (typeof capabilities)[number];

const roleCapabilities: Record<Role, readonly Capability[]> = {
  admin: capabilities,
  supervisor: ['cases.read', 'cases.write', 'cases.assign', 'conflicts.resolve', 'exports.run'],
  fieldworker: ['cases.read', 'cases.write'],
  analyst: ['cases.read', 'exports.run'],
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function capabilitiesOf(role: Role): readonly Capability[] {
  return roleCapabilities[role];
}

export function roleHas(role: Role, capability: Capability): boolean {
  return roleCapabilities[role].includes(capability);
}
