import { Command, CommanderError, Option } from 'commander';
import { roles } from '@outpost/core';
import { addUser, blobStoreFrom, listUsers, main, migrate, setUserDisabled, systemClock } from '@outpost/server';
import type { CliIo } from './io.js';
import { CliError } from './io.js';
import { addConfigOptions, configFromOptions, databaseKeys, withStore } from './commands/options.js';
import { registerAppUserCommands } from './commands/appUser.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerFormCommands } from './commands/form.js';
import { registerCaseCommands } from './commands/cases.js';
import { registerEntityCommands } from './commands/entities.js';
import { registerExportCommand } from './commands/export.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerMemberCommands } from './commands/member.js';
import { demoLoginsText, seedDemoIfEmpty, seedTemplate, templateNames } from './commands/seed.js';
import type { ConfigKey } from '@outpost/server';

const startKeys: readonly ConfigKey[] = [
  'host',
  'port',
  'dataDir',
  'databaseUrl',
  'demo',
  'validator',
  'logLevel',
  'sessionIdleMinutes',
  'sessionMaxHours',
  'loginMaxFailures',
  'loginLockMinutes',
  'bodyLimitBytes',
  'attachmentMaxBytes',
  'secureCookies',
  'publicUrl',
  'trustProxy',
  'entityBacklogDays',
  'webDir',
  'blobStore',
  's3Endpoint',
  's3Bucket',
  's3Region',
  's3AccessKeyId',
  's3SecretAccessKey',
  's3ForcePathStyle',
];

/** How a running server is stopped; the CLI entry point wires signals to it. */
export type OnStarted = (stop: () => Promise<void>) => void;

export function buildProgram(io: CliIo, onStarted: OnStarted = () => {}): Command {
  const program = new Command('outpost')
    .description('Outpost: offline-first case management and field data collection.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err, getOutHelpWidth: () => 100, getErrHelpWidth: () => 100 })
    .exitOverride();

  addConfigOptions(
    program.command('start').description('Migrate the database and serve the API and the web app.'),
    startKeys,
  ).action(async (options: Record<string, unknown>) => {
    const config = configFromOptions(options, io);
    let seededText = '';
    const running = await main(config, async (store) => {
      if (!config.demo) return;
      const blobs = blobStoreFrom(config);
      const result = await seedDemoIfEmpty(store, 120, blobs);
      if (result.seeded) {
        seededText = result.summaries
          .map((s) => `Seeded ${s.project}: ${s.cases} cases, ${s.areas} areas, ${s.forms} forms\n`)
          .join('');
      }
    });
    io.out(`Outpost listening on ${running.url}\n`);
    if (seededText) io.out(seededText);
    if (config.demo) io.out(demoLoginsText());
    onStarted(() => running.close());
  });

  addConfigOptions(
    program.command('migrate').description('Bring the database schema up to date, then exit.'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    await withStore(options, io, async (store) => {
      const { applied } = await migrate(store);
      io.out(
        applied.length === 0
          ? 'The database is up to date.\n'
          : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}\n`,
      );
    });
  });

  const user = program.command('user').description('Add, disable, enable and list users.');
  addConfigOptions(
    user
      .command('add')
      .description('Add a user. The password is read from standard input (one line) or OUTPOST_NEW_PASSWORD.')
      .requiredOption('--username <name>', 'login name: 2–64 of a-z 0-9 . _ -')
      .requiredOption('--display-name <text>', 'name shown to others')
      .addOption(new Option('--role <role>', 'global role').choices(roles).makeOptionMandatory())
      .option('--password-stdin', 'read the password from standard input'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    const password = options['passwordStdin']
      ? (await io.readStdin()).replace(/\r?\n$/, '')
      : io.env['OUTPOST_NEW_PASSWORD'];
    if (password === undefined || password === '') {
      throw new CliError('user add: no password given: pipe it with --password-stdin or set OUTPOST_NEW_PASSWORD');
    }
    await withStore(options, io, async (store) => {
      await migrate(store);
      const result = await addUser(
        {
          username: String(options['username']),
          displayName: String(options['displayName']),
          role: String(options['role']),
          password,
        },
        null,
        systemClock,
        store,
      );
      if (!result.ok)
        throw new CliError(`user add: ${result.field ? `--${kebab(result.field)}: ` : ''}${result.detail}`);
      io.out(`Added ${result.user.username} (${result.user.role}).\n`);
    });
  });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    addConfigOptions(
      user
        .command(name)
        .description(disabled ? 'Disable a user and end their sessions at once.' : 'Enable a disabled user again.')
        .argument('<username>'),
      databaseKeys,
    ).action(async (username: string, options: Record<string, unknown>) => {
      await withStore(options, io, async (store) => {
        await migrate(store);
        const result = await setUserDisabled(username, disabled, null, systemClock, store);
        if (!result.ok) throw new CliError(`user ${name}: ${result.detail}`);
        io.out(`${disabled ? 'Disabled' : 'Enabled'} ${result.user.username}.\n`);
      });
    });
  }

  addConfigOptions(user.command('list').description('List users.'), databaseKeys).action(
    async (options: Record<string, unknown>) => {
      await withStore(options, io, async (store) => {
        await migrate(store);
        const users = await listUsers(store);
        if (users.length === 0) io.out('No users.\n');
        for (const u of users)
          io.out(`${u.username}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\t${u.displayName}\n`);
      });
    },
  );

  addConfigOptions(
    program
      .command('seed')
      .description('Load a template: its project, areas and generated demo cases.')
      .addOption(new Option('--template <name>', 'template to load').choices(templateNames()).makeOptionMandatory())
      .option('--cases <n>', 'number of demo cases to generate', '120')
      .option('--seed <n>', 'random seed of the demo-data generator', '2026'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    const cases = wholeNumber(options['cases'], '--cases', 1, 200_000);
    const seed = wholeNumber(options['seed'], '--seed', 0, 2 ** 31 - 1);
    await withStore(options, io, async (store) => {
      await migrate(store);
      const summary = await seedTemplate(String(options['template']), { cases, seed }, store);
      io.out(
        summary.created
          ? `Seeded ${summary.project}: ${summary.cases} cases from ${summary.submissions} submissions, ${summary.areas} areas, ${summary.forms} forms.\n`
          : summary.forms > 0
            ? `${summary.project} already exists; published its ${summary.forms} missing forms.\n`
            : `${summary.project} already exists; nothing changed.\n`,
      );
    });
  });

  registerAuditCommands(program, io);
  registerAppUserCommands(program, io);

  registerFormCommands(program, io);
  registerCaseCommands(program, io);
  registerEntityCommands(program, io);
  registerExportCommand(program, io);
  registerBackupCommands(program, io);

  registerMemberCommands(program, io);

  return program;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function wholeNumber(value: unknown, flag: string, min: number, max: number): number {
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new CliError(`${flag}: expected a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function run(argv: readonly string[], io: CliIo, onStarted?: OnStarted): Promise<number> {
  const program = buildProgram(io, onStarted);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      io.err(`outpost: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.err(`outpost: failed: ${message}\n`);
    return 1;
  }
}
