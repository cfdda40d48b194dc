import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Clock } from '../auth/clock.js';
import { countRequest, peekRequests, pruneRateLimits } from '../storage/queries/rateLimits.js';
import type { Store } from '../storage/store.js';

type Answer = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** What @fastify/rate-limit passes a store for a route: its options, with the route's method and url. */
interface RouteInfo {
  routeInfo?: { method?: string | string[]; url?: string };
}

/** Ended windows are removed at most this often by each process. */
const PRUNE_EVERY_MS = 60_000;

/**
 * A store for @fastify/rate-limit that counts in the database (storage/queries/rateLimits.ts),
 * so every process serving one database counts the same requests: N processes allow what one
 * does, not N times as much (issue 14). Keys are the route and the caller's address.
 */
export function databaseRateLimitStore(store: Store, clock: Clock): FastifyRateLimitStoreCtor {
  let prunedAt = 0;
  async function prune(nowMs: number): Promise<void> {
    if (nowMs - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = nowMs;
    await pruneRateLimits(nowMs, store);
  }
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly prefix: string;
    constructor(options: object = {}) {
      const { method, url } = (options as RouteInfo).routeInfo ?? {};
      this.prefix = `${[method ?? ''].flat().join(',')} ${url ?? ''}`;
    }
    incr(key: string, answer: Answer, timeWindow: number): void {
      const nowMs = clock.now().getTime();
      countRequest(`${this.prefix} ${key}`, timeWindow, nowMs, store)
        .then(async ({ hits, windowEndsAt }) => {
          await prune(nowMs);
          answer(null, { current: hits, ttl: windowEndsAt - nowMs });
        })
        .catch((error: unknown) => answer(error instanceof Error ? error : new Error(String(error))));
    }
    read(key: string, answer: Answer): void {
      const nowMs = clock.now().getTime();
      peekRequests(`${this.prefix} ${key}`, nowMs, store)
        .then(({ hits, windowEndsAt }) => answer(null, { current: hits, ttl: windowEndsAt - nowMs }))
        .catch((error: unknown) => answer(error instanceof Error ? error : new Error(String(error))));
    }
    child(routeOptions: object): DatabaseRateLimitStore {
      return new DatabaseRateLimitStore(routeOptions);
    }
  };
}
