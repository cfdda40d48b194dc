import type { Kysely, Migration } from 'kysely';

// The partner (donor) and law-enforcement roles of core/policy, as rows memberships can reference.
const added = [
  { id: 'partner', name: 'Partner or donor' },
  { id: 'law-enforcement', name: 'Law enforcement' },
];

type Roles = { roles: { id: string; project_id: string | null; name: string; capabilities: string } };

export const moreRoles: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await (db as Kysely<Roles>)
      .insertInto('roles')
      .values(added.map((r) => ({ id: r.id, project_id: null, name: r.name, capabilities: '[]' })))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await (db as Kysely<Roles>)
      .deleteFrom('roles')
      .where(
        'id',
        'in',
        added.map((r) => r.id),
      )
      .execute();
  },
};
