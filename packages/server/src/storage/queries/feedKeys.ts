import type { Store } from '../store.js';

/** A feed key as its owner lists it: never the key itself, which is shown once. */
export interface FeedKeySummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The user a live feed key belongs to, as authentication needs them. */
export interface FeedKeyOwner {
  keyId: string;
  lastUsedAt: string | null;
  userId: string;
  username: string;
  displayName: string;
  role: string;
  disabledAt: string | null;
  revokedAt: string | null;
}

export async function insertFeedKey(
  key: { id: string; userId: string; name: string; keyHash: string; createdAt: string },
  store: Store,
): Promise<void> {
  await store.db
    .insertInto('feed_keys')
    .values({
      id: key.id,
      user_id: key.userId,
      name: key.name,
      key_hash: key.keyHash,
      created_at: key.createdAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
}

export async function listFeedKeys(userId: string, store: Store): Promise<FeedKeySummary[]> {
  const rows = await store.db
    .selectFrom('feed_keys')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes one of the user's own keys; false when the user has no such live key. */
export async function revokeFeedKey(userId: string, id: string, at: string, store: Store): Promise<boolean> {
  const result = await store.db
    .updateTable('feed_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function findFeedKeyOwner(keyHash: string, store: Store): Promise<FeedKeyOwner | undefined> {
  const row = await store.db
    .selectFrom('feed_keys')
    .innerJoin('users', 'users.id', 'feed_keys.user_id')
    .select([
      'feed_keys.id as keyId',
      'feed_keys.last_used_at',
      'feed_keys.revoked_at',
      'users.id as userId',
      'users.username',
      'users.display_name',
      'users.role',
      'users.disabled_at',
    ])
    .where('feed_keys.key_hash', '=', keyHash)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    keyId: row.keyId,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    userId: row.userId,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabledAt: row.disabled_at === null ? null : String(row.disabled_at),
  };
}

export async function touchFeedKey(id: string, at: string, store: Store): Promise<void> {
  await store.db.updateTable('feed_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}
