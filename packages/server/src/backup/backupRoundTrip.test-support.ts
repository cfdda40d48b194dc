import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { addUser } from '../auth/users.js';
import { systemClock } from '../auth/clock.js';
import { appendAuditEvent, createProject, ensureEntityList, insertEntity, upsertAreas } from '../storage/index.js';
import type { Store } from '../storage/index.js';

/** Rows in every table, in a stable order, for comparing a database with its restored copy. */
export async function everyRow(store: Store): Promise<Record<string, unknown[]>> {
  const tables =
    store.dialect === 'postgres'
      ? await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(
          store.db,
        )
      : await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1`.execute(
          store.db,
        );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(store.db);
    out[name] = rows.rows
      .map((row) =>
        JSON.stringify(row, (_key, value: unknown) =>
          value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
        ),
      )
      .sort();
  }
  return out;
}

/** Every file under `root` with its bytes, by relative path. */
export async function everyFile(root: string, relative = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) Object.assign(out, await everyFile(root, child));
    else out[child] = (await readFile(path.join(root, child))).toString('base64');
  }
  return out;
}

/** A little of everything: a user, a project with areas, a case, an audit event, a blob and a key file. */
export async function fillDataFolder(store: Store, dataDir: string): Promise<void> {
  const user = await addUser(
    { username: 'tsetseg', displayName: 'Цэцэг', role: 'supervisor', password: 'correct horse battery staple 2026' },
    null,
    systemClock,
    store,
  );
  if (!user.ok) throw new Error(user.detail);
  const project = await createProject({ slug: 'bayanzurkh', name: 'Баянзүрх' }, store);
  await upsertAreas(
    project.id,
    '2024',
    [{ code: 'MN11', parentCode: null, level: 'aimag', names: { mn: 'Улаанбаатар' } }],
    store,
  );
  const list = await ensureEntityList(project.id, 'cases', store);
  await insertEntity({ listId: list.id, label: 'Б. Бат-Эрдэнэ', properties: { needs: 'food heating_winter' } }, store);
  await appendAuditEvent({ actorId: null, action: 'test.fill', subject: null, details: { n: 1 } }, store);
  await mkdir(path.join(dataDir, 'blobs', 'ab'), { recursive: true });
  await writeFile(path.join(dataDir, 'blobs', 'ab', 'abcdef'), Buffer.from([0, 1, 2, 255]));
  await writeFile(path.join(dataDir, 'server.key'), 'not a real key');
}
