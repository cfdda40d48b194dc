import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../auth/clock.js';
import type { Store } from '../storage/store.js';
import { migrate } from '../storage/store.js';
import { buildApp, defaultSettings } from './app.js';

/**
 * The per-address login limit as two server processes on one database see it (two apps on one
 * store), on SQLite and PostgreSQL alike.
 */
export function describeSharedLoginRateLimit(
  name: string,
  open: () => Promise<Store>,
  close: (store: Store) => Promise<void>,
): void {
  describe(`the login rate limit counted in the database (${name})`, () => {
    let store: Store;
    let apps: FastifyInstance[];
    let now: number;
    const clock: Clock = { now: () => new Date(now) };

    beforeEach(async () => {
      now = new Date('2026-12-07T08:00:00.000Z').getTime();
      store = await open();
      await migrate(store);
      const settings = { ...defaultSettings, loginRateLimitPerMinute: 3 };
      apps = [await buildApp({ store, clock, settings }), await buildApp({ store, clock, settings })];
    });
    afterEach(async () => {
      for (const app of apps) await app.close();
      await close(store);
    });

    const attempt = (app: FastifyInstance, username: string, remoteAddress = '203.0.113.7') =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress,
        payload: { username, password: 'not the password at all' },
      });

    it('refuses the attempt past the limit whichever process counted the earlier ones, and only from that address', async () => {
      // Unknown usernames, each once: the per-account lockout stays out of the way.
      expect((await attempt(apps[0]!, 'u1')).statusCode).toBe(401);
      expect((await attempt(apps[1]!, 'u2')).statusCode).toBe(401);
      expect((await attempt(apps[0]!, 'u3')).statusCode).toBe(401);
      const refused = await attempt(apps[1]!, 'u4');
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ code: 'request.rate-limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await attempt(apps[1]!, 'u5', '198.51.100.9')).statusCode).toBe(401);
    });

    it('counts again once the minute has passed, and prunes the ended windows', async () => {
      for (const username of ['u1', 'u2', 'u3']) await attempt(apps[0]!, username);
      expect((await attempt(apps[1]!, 'u4')).statusCode).toBe(429);
      now += 61_000;
      expect((await attempt(apps[1]!, 'u5')).statusCode).toBe(401);
      now += 61_000;
      await attempt(apps[0]!, 'u6', '198.51.100.9');
      const rows = await store.db.selectFrom('rate_limits').select('key').execute();
      expect(rows.map((r) => r.key.split(' ').at(-1))).toEqual(['198.51.100.9']);
    });
  });
}
