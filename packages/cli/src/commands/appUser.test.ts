import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, createProject, defaultSettings, migrate, openStore, upsertAreas } from '@outpost/server';
import { run } from '../program.js';
import { captureIo } from '../cliIo.test-support.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-app-user-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outpost app-user', () => {
  it('adds an app user whose server URL opens the form list, and revoking it answers 403', async () => {
    const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
    await migrate(store);
    const project = await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store);
    await upsertAreas(
      project.id,
      '2024',
      [{ code: 'MN111051', parentCode: null, level: 'khoroo', names: { mn: '1-р хороо' } }],
      store,
    );
    await store.close();

    const io = captureIo();
    const args = ['app-user', 'add', '--project', 'bayanzurkh', '--display-name', 'Таблет 3', '--area', 'MN111051'];
    expect(await run([...args, '--public-url', 'https://outpost.example.mn', '--json', '--data-dir', dir], io)).toBe(0);
    const added = JSON.parse(io.stdout()) as { id: string; token: string; serverUrl: string };
    expect(added.serverUrl).toBe(`https://outpost.example.mn/v1/key/${added.token}/projects/${project.id}`);

    const unknown = captureIo();
    expect(
      await run(
        ['app-user', 'add', '--project', 'bayanzurkh', '--display-name', 'x', '--area', 'XX', '--data-dir', dir],
        unknown,
      ),
    ).toBe(1);
    expect(unknown.stderr()).toContain('no area "XX"');

    const reopened = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
    const app = await buildApp({ store: reopened, settings: defaultSettings });
    try {
      const url = `${new URL(added.serverUrl).pathname}/formList`;
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
      expect(await run(['app-user', 'revoke', added.id, '--data-dir', dir], captureIo())).toBe(0);
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(403);
      const again = captureIo();
      expect(await run(['app-user', 'revoke', added.id, '--data-dir', dir], again)).toBe(1);
      expect(again.stderr()).toContain('no active app user');
    } finally {
      await app.close();
      await reopened.close();
    }
  });
});
