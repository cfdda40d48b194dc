import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from './program.js';
import { captureIo } from './cliIo.test-support.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outpost start --help', () => {
  it('lists every setting with its flag, environment variable and default', async () => {
    const io = captureIo();
    const code = await run(['start', '--help'], io);
    expect(code).toBe(0);
    await expect(io.stdout()).toMatchFileSnapshot('./__snapshots__/start-help.txt');
  });
});

describe('outpost user', () => {
  it('adds, lists and disables a user', async () => {
    const add = captureIo({}, 'a long enough password\n');
    expect(
      await run(
        [
          'user',
          'add',
          '--username',
          'Tsetseg',
          '--display-name',
          'Цэцэг',
          '--role',
          'supervisor',
          '--password-stdin',
          '--data-dir',
          dir,
        ],
        add,
      ),
    ).toBe(0);
    expect(add.stdout()).toContain('Added tsetseg (supervisor)');

    const list = captureIo();
    expect(await run(['user', 'list', '--data-dir', dir], list)).toBe(0);
    expect(list.stdout()).toMatch(/tsetseg\tsupervisor\tactive\tЦэцэг/);

    const off = captureIo();
    expect(await run(['user', 'disable', 'tsetseg', '--data-dir', dir], off)).toBe(0);
    const again = captureIo();
    await run(['user', 'list', '--data-dir', dir], again);
    expect(again.stdout()).toContain('disabled');
  });

  it.each([
    [['--username', 'x', '--display-name', 'X', '--role', 'admin'], 'long enough pw', 'username'],
    [['--username', 'tuya', '--display-name', 'Tuya', '--role', 'admin'], 'short', 'at least 10 characters'],
    [
      ['--username', 'tuya', '--display-name', 'Tuya', '--role', 'admin'],
      'outpost-demo-2026',
      'accepted only on a server started with --demo',
    ],
    [
      ['--username', 'tuya', '--display-name', 'Tuya', '--role', 'chief'],
      'long enough pw',
      'Allowed choices are admin, supervisor, fieldworker, analyst',
    ],
    [
      ['--display-name', 'Tuya', '--role', 'admin'],
      'long enough pw',
      "required option '--username <name>' not specified",
    ],
  ])('explains why bad arguments %j are refused and adds nobody', async (args, password, why) => {
    const io = captureIo({}, `${password}\n`);
    const code = await run(['user', 'add', ...args, '--password-stdin', '--data-dir', dir], io);
    expect(code).not.toBe(0);
    expect(io.stderr()).toContain(why);
    const list = captureIo();
    await run(['user', 'list', '--data-dir', dir], list);
    expect(list.stdout()).toBe('No users.\n');
  });

  it('refuses a second user with the same name', async () => {
    const args = [
      'user',
      'add',
      '--username',
      'tuya',
      '--display-name',
      'Tuya',
      '--role',
      'analyst',
      '--data-dir',
      dir,
    ];
    expect(await run(args, captureIo({ OUTPOST_NEW_PASSWORD: 'long enough pw' }))).toBe(0);
    const io = captureIo({ OUTPOST_NEW_PASSWORD: 'long enough pw' });
    expect(await run(args, io)).toBe(1);
    expect(io.stderr()).toContain('already exists');
  });

  it('asks for a password when none is given', async () => {
    const io = captureIo();
    expect(
      await run(
        ['user', 'add', '--username', 'tuya', '--display-name', 'Tuya', '--role', 'analyst', '--data-dir', dir],
        io,
      ),
    ).toBe(1);
    expect(io.stderr()).toContain('no password given');
  });
});

describe('settings', () => {
  it('names the flag or variable of a bad value', async () => {
    const io = captureIo({ OUTPOST_PORT: 'eighty' });
    expect(await run(['start', '--data-dir', dir], io)).toBe(1);
    expect(io.stderr()).toContain('OUTPOST_PORT: expected a whole number, got "eighty"');
    const bad = captureIo();
    expect(await run(['migrate', '--database-url', 'mysql://x', '--data-dir', dir], bad)).toBe(1);
    expect(bad.stderr()).toContain('expected a postgres:// URL');
  });

  it('migrate creates the database and is idempotent', async () => {
    const first = captureIo();
    expect(await run(['migrate', '--data-dir', dir], first)).toBe(0);
    expect(first.stdout()).toContain('Applied');
    const second = captureIo();
    expect(await run(['migrate', '--data-dir', dir], second)).toBe(0);
    expect(second.stdout()).toBe('The database is up to date.\n');
  });
});
