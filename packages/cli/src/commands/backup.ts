import type { Command } from 'commander';
import { createBackup, restoreBackup } from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { addConfigOptions, configFromOptions, databaseKeys } from './options.js';

function failure(command: string, err: unknown): CliError {
  return new CliError(`${command}: ${err instanceof Error ? err.message : String(err)}`);
}

/** `outpost backup` and `outpost restore`. */
export function registerBackupCommands(program: Command, io: CliIo): void {
  addConfigOptions(
    program
      .command('backup')
      .description(
        'Back up the database (online: the server may keep running) and the attachments into a new folder, with SHA-256 of every file.',
      )
      .requiredOption('--out <folder>', 'the new folder to write the backup into'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    const config = configFromOptions(options, io);
    const out = String(options['out']);
    try {
      const manifest = await createBackup({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }, out);
      const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
      io.out(`Backed up ${manifest.dialect} (${manifest.files.length} files, ${bytes} bytes) to ${out}.\n`);
    } catch (err) {
      throw failure('backup', err);
    }
  });

  addConfigOptions(
    program
      .command('restore')
      .description(
        'Restore a backup into an empty data folder (or an empty PostgreSQL database), then bring the schema up to date.',
      )
      .argument('<folder>', 'a folder written by `outpost backup`'),
    databaseKeys,
  ).action(async (folder: string, options: Record<string, unknown>) => {
    const config = configFromOptions(options, io);
    try {
      const { migrated } = await restoreBackup(folder, { dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      io.out(
        `Restored ${folder} into ${config.databaseUrl === null ? config.dataDir : 'the PostgreSQL database'}` +
          `${migrated.length === 0 ? '' : `; applied ${migrated.length} newer migration(s)`}.\n`,
      );
    } catch (err) {
      throw failure('restore', err);
    }
  });
}
