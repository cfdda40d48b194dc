import { isRole } from '@outpost/core';
import { findFeedKeyOwner, insertFeedKey, touchFeedKey } from '../storage/queries/feedKeys.js';
import type { Store } from '../storage/store.js';
import type { Clock } from './clock.js';
import type { Actor } from './sessions.js';
import { newId, newToken, tokenDigest } from './tokens.js';

/** Last-used times are written at most this often per key (a refresh makes many requests). */
const TOUCH_MS = 60_000;

/** A new feed key for the user: the key is returned once, only its digest is kept. */
export async function createFeedKey(
  userId: string,
  name: string,
  clock: Clock,
  store: Store,
): Promise<{ id: string; key: string; createdAt: string }> {
  const key = newToken();
  const id = newId();
  const createdAt = clock.now().toISOString();
  await insertFeedKey({ id, userId, name, keyHash: tokenDigest(key), createdAt }, store);
  return { id, key, createdAt };
}

/**
 * The actor a feed key stands for, or null for an unknown or revoked key or a disabled user. A
 * feed key reads the OData feed only: it is accepted nowhere else.
 */
export async function resolveFeedKey(key: string, clock: Clock, store: Store): Promise<Actor | null> {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(key)) return null;
  const owner = await findFeedKeyOwner(tokenDigest(key), store);
  if (owner === undefined || owner.revokedAt !== null || owner.disabledAt !== null || !isRole(owner.role)) return null;
  const now = clock.now();
  if (owner.lastUsedAt === null || now.getTime() - new Date(owner.lastUsedAt).getTime() > TOUCH_MS) {
    await touchFeedKey(owner.keyId, now.toISOString(), store);
  }
  return {
    userId: owner.userId,
    username: owner.username,
    displayName: owner.displayName,
    role: owner.role,
    via: 'feed-key',
    sessionId: null,
    deviceId: null,
    csrfToken: null,
    twoFactorPending: false,
  };
}
