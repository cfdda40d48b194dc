import type { Kysely, Migration } from 'kysely';

// The built-in roles as rows, so memberships can reference them. Their capabilities as of this
// migration are recorded for reference; core/policy/roles.ts stays the authority for built-ins.
const builtin = [
  { id: 'admin', name: 'Administrator' },
  { id: 'supervisor', name: 'Supervisor' },
  { id: 'fieldworker', name: 'Field worker' },
  { id: 'analyst', name: 'Analyst' },
];

export const builtinRoles: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const typed = db as Kysely<{
      roles: { id: string; project_id: string | null; name: string; capabilities: string };
    }>;
    await typed
      .insertInto('roles')
      .values(builtin.map((r) => ({ id: r.id, project_id: null, name: r.name, capabilities: '[]' })))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const typed = db as Kysely<{ roles: { id: string } }>;
    await typed
      .deleteFrom('roles')
      .where(
        'id',
        'in',
        builtin.map((r) => r.id),
      )
      .execute();
  },
};
