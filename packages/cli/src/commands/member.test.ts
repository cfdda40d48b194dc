import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { run } from '../program.js';

function io(env: Record<string, string> = {}): CliIo & { text: () => string } {
  let text = '';
  return {
    out: (t) => (text += t),
    err: (t) => (text += t),
    env,
    readStdin: () => Promise.resolve(''),
    text: () => text,
  };
}

let dir: string;

async function outpost(...args: string[]): Promise<{ code: number; text: string }> {
  const out = io({ OUTPOST_NEW_PASSWORD: 'long enough pw' });
  const code = await run([...args, '--data-dir', dir], out);
  return { code, text: out.text() };
}

function auditActions(): string[] {
  const db = new Database(path.join(dir, 'outpost.db'), { readonly: true });
  const rows = db.prepare(`select action from audit_events where action like 'membership.%' order by seq`).all();
  db.close();
  return rows.map((row) => (row as { action: string }).action);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-member-'));
  expect((await outpost('seed', '--template', 'mongolia-social-protection', '--cases', '5')).code).toBe(0);
  const add = ['user', 'add', '--username', 'oyun', '--display-name', 'Oyun', '--role', 'fieldworker'];
  expect((await outpost(...add)).code).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outpost member', () => {
  it('adds a user to khoroos, changes them to own assignments, lists and removes them, audited', async () => {
    expect(await outpost('member', 'list', '--project', 'bayanzurkh')).toEqual({
      code: 0,
      text: 'bayanzurkh (Bayanzürkh social protection)\n  no members\n',
    });

    const added = await outpost(
      'member',
      'add',
      '--project',
      'bayanzurkh',
      '--user',
      'Oyun',
      '--role',
      'fieldworker',
      '--area',
      'MN111051',
      'MN111053',
    );
    expect(added).toEqual({
      code: 0,
      text: 'Added oyun in bayanzurkh: fieldworker, areas MN111051 (Khoroo 1), MN111053 (Khoroo 2) and own assignments.\n',
    });
    expect((await outpost('member', 'list')).text).toBe(
      'bayanzurkh (Bayanzürkh social protection)\n' +
        '  oyun\tfieldworker, areas MN111051 (Khoroo 1), MN111053 (Khoroo 2) and own assignments\n',
    );

    const changed = await outpost(
      'member',
      'add',
      '--project',
      'bayanzurkh',
      '--user',
      'oyun',
      '--role',
      'supervisor',
      '--own',
    );
    expect(changed).toEqual({ code: 0, text: 'Changed oyun in bayanzurkh: supervisor, own assignments only.\n' });

    expect(await outpost('member', 'remove', '--project', 'bayanzurkh', '--user', 'oyun')).toEqual({
      code: 0,
      text: 'Removed oyun from bayanzurkh.\n',
    });
    expect(await outpost('member', 'remove', '--project', 'bayanzurkh', '--user', 'oyun')).toEqual({
      code: 1,
      text: 'outpost: member remove: oyun is not in bayanzurkh\n',
    });
    expect(auditActions()).toEqual(['membership.added', 'membership.changed', 'membership.removed']);
  }, 60_000);

  it('refuses unknown areas, projects, users and roles, and a mixed scope, and changes nothing', async () => {
    const base = ['member', 'add', '--project', 'bayanzurkh', '--user', 'oyun', '--role', 'fieldworker'];
    const before = auditActions().length;
    expect(await outpost(...base, '--area', 'MN111051', 'MN999')).toEqual({
      code: 1,
      text: "outpost: member add: --area: Not in the project's area list: MN999.\n",
    });
    expect(await outpost(...base, '--area', 'MN111051', '--own')).toEqual({
      code: 1,
      text: 'outpost: member add: --own: Own assignments only cannot be combined with areas or a team (those include own assignments).\n',
    });
    expect((await outpost('member', 'add', '--project', 'nowhere', '--user', 'oyun', '--role', 'analyst')).text).toBe(
      'outpost: member add: --project: no project "nowhere"\n',
    );
    expect(
      (await outpost('member', 'add', '--project', 'bayanzurkh', '--user', 'nobody', '--role', 'analyst')).text,
    ).toBe('outpost: member add: --user: no user "nobody"\n');
    const role = await outpost('member', 'add', '--project', 'bayanzurkh', '--user', 'oyun', '--role', 'chief');
    expect(role.code).toBe(1);
    expect(role.text).toContain("option '--role <role>' argument 'chief' is invalid");
    expect(auditActions().length).toBe(before);
    expect((await outpost('member', 'list', '--project', 'bayanzurkh')).text).toContain('no members');
  }, 60_000);
});
