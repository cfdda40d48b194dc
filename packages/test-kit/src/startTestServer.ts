import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Role } from '@outpost/core';
import type { Store } from '@outpost/server';
import {
  addMembership,
  addUser,
  buildApp,
  createProject,
  defaultSettings,
  migrate,
  openStore,
  publishForm,
} from '@outpost/server';

export interface TestServer {
  url: string;
  port: number;
  app: FastifyInstance;
  store: Store;
  dir: string;
  projectId: string;
  close(): Promise<void>;
}

/**
 * A real server on 127.0.0.1 over a fresh SQLite database in a temp folder, with one project and
 * the given users as its members: for tests of clients (the PWA's queues and sync) over a socket.
 */
export async function startTestServer(options: {
  users: ReadonlyArray<{ username: string; role: Role; member?: boolean }>;
  password: string;
  project?: { slug: string; name: string };
}): Promise<TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-test-server-'));
  const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  const projectId = (await createProject(options.project ?? { slug: 'field', name: 'Field' }, store)).id;
  for (const u of options.users) {
    const added = await addUser(
      { username: u.username, displayName: u.username, role: u.role, password: options.password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!added.ok) throw new Error(added.detail);
    if (u.member !== false) await addMembership({ userId: added.user.id, projectId, roleId: u.role }, store);
  }
  const app = await buildApp({ store, settings: { ...defaultSettings, dataDir: dir, loginRateLimitPerMinute: 1000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    app,
    store,
    dir,
    projectId,
    close: async () => {
      // Upload routes answer through the tus library, outside Fastify's own connection tracking.
      app.server.closeAllConnections();
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Publishes an XLSForm in the test server's project as an upload is published (the same
 * `publishForm`), with the seed's patience for a busy machine; throws when it is refused.
 */
export async function publishTestForm(server: TestServer, fileName: string, bytes: Uint8Array): Promise<void> {
  const published = await publishForm(
    { projectId: server.projectId, fileName, bytes, actorId: null, compileTimeLimitMs: 180_000 },
    server.store,
  );
  if (!published.ok) throw new Error(`publishing ${fileName} failed: ${JSON.stringify(published)}`);
}
