import type { Insertable } from 'kysely';
import type { EntitiesTable, EntityVersionsTable } from '../schema.js';
import { announceListChange } from '../changeNotices.js';
import { nextSeq } from '../store.js';
import type { Store } from '../store.js';
import { searchKey } from './entities.js';

/** A case as a registration form's submission leaves it: the entity at version 1, nothing edited since. */
export interface RegisteredCase {
  id: string;
  label: string;
  properties: Record<string, string>;
  areaId: string | null;
  /** The instance id of the submission that registered it; null when none did (an import). */
  submissionId: string | null;
  /** The user who registered it. */
  createdBy: string | null;
  status?: string;
  at: string;
}

/** Rows a statement inserts: 500 × 19 columns stays far below SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_STATEMENT = 500;

/**
 * Stores many registered cases at once, each with its first version, in multi-row inserts (for a
 * load: a benchmark's pre-fill, cases carried over from another system). Each case takes the next
 * entity commit sequence in order, so devices pull them like any other write, and the list's change
 * notice goes out once. No audit event is written per case: the caller records the load as one.
 * All or nothing: the cases go in one transaction (the caller's, when it passes one).
 */
export async function insertRegisteredCases(
  listId: string,
  cases: readonly RegisteredCase[],
  store: Store,
): Promise<void> {
  if (cases.length === 0) return;
  await store.transaction(async (tx) => {
    for (let from = 0; from < cases.length; from += ROWS_PER_STATEMENT) {
      const slice = cases.slice(from, from + ROWS_PER_STATEMENT);
      const entities: Insertable<EntitiesTable>[] = [];
      const versions: Insertable<EntityVersionsTable>[] = [];
      for (const c of slice) {
        const properties = JSON.stringify(c.properties);
        entities.push({
          id: c.id,
          list_id: listId,
          label: c.label,
          label_search: searchKey(c.label),
          properties,
          version: 1,
          base_version: null,
          trunk_version: null,
          branch_id: null,
          conflict: null,
          assignee_id: null,
          team: null,
          area_id: c.areaId,
          status: c.status ?? 'open',
          categories: '[]',
          created_at: c.at,
          updated_at: c.at,
          deleted_at: null,
          seq: await nextSeq('entities', tx),
        });
        versions.push({
          entity_id: c.id,
          version: 1,
          label: c.label,
          properties,
          // What the registration carried: its label and every property it saved.
          data_received: JSON.stringify({ label: c.label, ...c.properties }),
          base_version: null,
          trunk_version: null,
          branch_id: null,
          branch_base_version: null,
          conflict: null,
          conflicting_properties: null,
          submission_id: c.submissionId,
          created_by: c.createdBy,
          created_at: c.at,
        });
      }
      await tx.db.insertInto('entities').values(entities).execute();
      await tx.db.insertInto('entity_versions').values(versions).execute();
    }
    await announceListChange(listId, tx);
  });
}
