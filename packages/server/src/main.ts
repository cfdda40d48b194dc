import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { sqlitePathOf } from './config/config.js';
import { retireDemoPasswordAccess } from './auth/users.js';
import { systemClock } from './auth/clock.js';
import { startBacklogSchedule } from './entities/index.js';
import { blobStoreFrom } from './attachments/configuredBlobStore.js';
import { buildApp, bundledWebDir, defaultSettings } from './http/app.js';
import type { AppSettings } from './http/app.js';
import { makePrivateDirSync, restrictProcessUmask } from './storage/privateFiles.js';
import { localChangeSource, postgresChangeSource } from './storage/changeNotices.js';
import type { Store } from './storage/store.js';
import { migrate, openStore } from './storage/store.js';

export function settingsFrom(config: Config): AppSettings {
  return {
    ...defaultSettings,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    loginMaxFailures: config.loginMaxFailures,
    loginLockMinutes: config.loginLockMinutes,
    bodyLimitBytes: config.bodyLimitBytes,
    secureCookies: config.secureCookies,
    webDir: config.webDir ?? bundledWebDir(),
    dataDir: config.dataDir,
    attachmentMaxBytes: config.attachmentMaxBytes,
    demo: config.demo,
    publicUrl: publicUrlOf(config.publicUrl),
    trustProxy: config.trustProxy,
    validator: config.validator === 'engine' ? 'engine' : 'compiled',
  };
}

/** `--public-url` as an origin without a trailing slash; anything but an http(s) URL stops the start. */
function publicUrlOf(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`--public-url: "${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('--public-url: give an http(s) URL');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Logs carry method, route and status, never query strings, bodies, cookies or tokens. */
export function loggerOptions(level: string): object {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export function openConfiguredStore(config: Config): Promise<Store> {
  return openStore({ databaseUrl: config.databaseUrl, sqlitePath: sqlitePathOf(config) });
}

export interface Running {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

/**
 * The composition root: open the database, migrate, run `prepare` (the CLI seeds demo data
 * there), build the app and listen. The only place that opens a socket.
 */
export async function main(config: Config, prepare?: (store: Store) => Promise<void>): Promise<Running> {
  // The data folder holds the database, attachments and the server key: the server's account only.
  restrictProcessUmask();
  makePrivateDirSync(config.dataDir);
  const store = await openConfiguredStore(config);
  try {
    await migrate(store);
    if (prepare) await prepare(store);
    // Before the first request: tokens opened with the password everybody knows stop working.
    if (!config.demo) await retireDemoPasswordAccess(systemClock, store);
  } catch (err) {
    await store.close();
    throw err;
  }
  // Several processes on one PostgreSQL hear each other's writes (LISTEN/NOTIFY); SQLite has one.
  const changes =
    store.dialect === 'postgres' && config.databaseUrl !== null
      ? await postgresChangeSource(config.databaseUrl)
      : localChangeSource();
  const app = await buildApp({
    store,
    settings: settingsFrom(config),
    logger: loggerOptions(config.logLevel),
    blobs: blobStoreFrom(config),
    changes,
  });
  await app.listen({ host: config.host, port: config.port });
  const backlog = startBacklogSchedule(store, {
    delayMs: config.entityBacklogDays * 24 * 60 * 60 * 1000,
    onError: (err) => app.log.error({ err }, 'entity backlog run failed'),
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    app,
    store,
    url,
    close: () => {
      closing ??= (async () => {
        // Upload routes answer through the tus library, outside Fastify's connection tracking.
        backlog.stop();
        app.server.closeAllConnections();
        await app.close();
        await changes.close();
        await store.close();
      })();
      return closing;
    },
  };
}
