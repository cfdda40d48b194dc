import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-audit-'));
  // Three audited actions: two users created, one disabled.
  for (const username of ['oyun', 'bat']) {
    const add = [
      'user',
      'add',
      '--username',
      username,
      '--display-name',
      username,
      '--role',
      'fieldworker',
      '--data-dir',
      dir,
    ];
    expect(await run(add, io({ OUTPOST_NEW_PASSWORD: 'long enough pw' }))).toBe(0);
  }
  expect(await run(['user', 'disable', 'bat', '--data-dir', dir], io())).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tamper(sql: string): void {
  const db = new Database(path.join(dir, 'outpost.db'));
  db.exec(sql);
  db.close();
}

describe('outpost audit verify', () => {
  it('passes on an untouched log', async () => {
    const out = io();
    expect(await run(['audit', 'verify', '--data-dir', dir], out)).toBe(0);
    expect(out.text()).toBe('Audit log intact: 3 entries.\n');
  });

  it.each([
    ['altered', `update audit_events set action = 'user.enabled' where seq = 2`, 'entry 2'],
    ['removed', `delete from audit_events where seq = 2`, 'entry 2'],
    ['removed at the end', `delete from audit_events where seq = 3`, 'entry 3'],
    [
      'reordered',
      `update audit_events set seq = 99 where seq = 1; update audit_events set seq = 1 where seq = 2; update audit_events set seq = 2 where seq = 99`,
      'entry 1',
    ],
  ])('exits 1 and names the first broken entry when one was %s', async (_how, sql, entry) => {
    tamper(sql);
    const out = io();
    expect(await run(['audit', 'verify', '--data-dir', dir], out)).toBe(1);
    expect(out.text()).toContain(`audit log broken at ${entry}`);
  });
});
