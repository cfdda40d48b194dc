import type { IndexKey } from './LocalStore.js';

/** Whether IndexedDB would index this value (numbers, strings and arrays of them). */
export function isValidKey(value: unknown): value is IndexKey {
  if (typeof value === 'number') return !Number.isNaN(value);
  if (typeof value === 'string') return true;
  return Array.isArray(value) && value.every(isValidKey);
}

function rank(key: IndexKey): number {
  return typeof key === 'number' ? 0 : typeof key === 'string' ? 1 : 2;
}

/** IndexedDB's key order, so the memory store returns rows in the order a browser would. */
export function compareKeys(a: IndexKey, b: IndexKey): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const left = a as readonly IndexKey[];
  const right = b as readonly IndexKey[];
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const order = compareKeys(left[i]!, right[i]!);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}
