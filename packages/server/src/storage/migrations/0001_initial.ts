import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store.js';

// Written with the schema builder so one migration serves both dialects; only the binary column
// type differs. Timestamps are ISO-8601 text and JSON is text (see schema.ts). Sequence columns
// are plain bigints filled from `counters` by nextSeq(), so both dialects number commits alike.
export function initial(dialect: Dialect): Migration {
  const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('template', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('areas')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('parent_id', 'text', (c) => c.references('areas.id'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('names', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('list_version', 'text', (c) => c.notNull())
        .addUniqueConstraint('areas_project_code_version_unique', ['project_id', 'code', 'list_version'])
        .execute();
      await db.schema.createIndex('areas_parent_idx').on('areas').column('parent_id').execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('totp_secret', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('roles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('capabilities', 'text', (c) => c.notNull())
        .addUniqueConstraint('roles_project_name_unique', ['project_id', 'name'])
        .execute();

      // One membership per user and project; its scope is one area subtree (or the whole project).
      await db.schema
        .createTable('memberships')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id'))
        .addColumn('area_id', 'text', (c) => c.references('areas.id'))
        .addColumn('team', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'project_id'])
        .execute();
      await db.schema.createIndex('memberships_project_idx').on('memberships').column('project_id').execute();

      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('devices_user_idx').on('devices').column('user_id').execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('device_id', 'text', (c) => c.references('devices.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('forms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('xml_form_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('forms_project_xml_form_id_unique', ['project_id', 'xml_form_id'])
        .execute();

      await db.schema
        .createTable('form_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('form_id', 'text', (c) => c.notNull().references('forms.id'))
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('xlsform', bytes)
        .addColumn('xform', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.references('users.id'))
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('form_versions_form_version_unique', ['form_id', 'version'])
        .execute();

      // `replaces` has no foreign key: an edit made offline may arrive before the original.
      await db.schema
        .createTable('submissions')
        .addColumn('instance_id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('form_version_id', 'text', (c) => c.notNull().references('form_versions.id'))
        .addColumn('user_id', 'text', (c) => c.references('users.id'))
        .addColumn('device_id', 'text', (c) => c.references('devices.id'))
        .addColumn('xml', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('replaces', 'text')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull().unique())
        .execute();
      await db.schema
        .createIndex('submissions_project_seq_idx')
        .on('submissions')
        .columns(['project_id', 'seq'])
        .execute();
      await db.schema.createIndex('submissions_replaces_idx').on('submissions').column('replaces').execute();

      await db.schema
        .createTable('entity_lists')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('entity_lists_project_name_unique', ['project_id', 'name'])
        .execute();

      await db.schema
        .createTable('entities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('list_id', 'text', (c) => c.notNull().references('entity_lists.id'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('label_search', 'text', (c) => c.notNull())
        .addColumn('properties', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('base_version', 'integer')
        .addColumn('trunk_version', 'integer')
        .addColumn('branch_id', 'text')
        .addColumn('conflict', 'text')
        .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
        .addColumn('team', 'text')
        .addColumn('area_id', 'text', (c) => c.references('areas.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        .addColumn('seq', 'bigint', (c) => c.notNull().unique())
        .execute();
      await db.schema.createIndex('entities_list_seq_idx').on('entities').columns(['list_id', 'seq']).execute();
      await db.schema
        .createIndex('entities_list_updated_idx')
        .on('entities')
        .columns(['list_id', 'updated_at'])
        .execute();
      await db.schema.createIndex('entities_area_idx').on('entities').column('area_id').execute();
      await db.schema.createIndex('entities_assignee_idx').on('entities').column('assignee_id').execute();

      await db.schema
        .createTable('folders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('owner_user_id', 'text', (c) => c.references('users.id'))
        .addColumn('team', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('query', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('folders_project_idx').on('folders').column('project_id').execute();

      await db.schema
        .createTable('folder_entities')
        .addColumn('folder_id', 'text', (c) => c.notNull().references('folders.id').onDelete('cascade'))
        .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('folder_entities_pk', ['folder_id', 'entity_id'])
        .execute();
      await db.schema.createIndex('folder_entities_entity_idx').on('folder_entities').column('entity_id').execute();

      // No foreign key on actor_id: the audit trail outlives the users it names.
      await db.schema
        .createTable('audit_events')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('login_throttles')
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute();

      await db.schema
        .createTable('counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
