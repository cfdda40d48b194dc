import type { Command } from 'commander';
import { forceProcessBacklog, migrate } from '@outpost/server';
import type { CliIo } from '../io.js';
import { addConfigOptions, configFromOptions, databaseKeys, withStore } from './options.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function registerEntityCommands(program: Command, io: CliIo): void {
  const entities = program.command('entities').description('Case (entity) maintenance.');
  addConfigOptions(
    entities
      .command('process-backlog')
      .description(
        'Apply offline case changes that waited longer than the backlog timeout for an earlier change (as the server does on its schedule); with --force, every waiting change now.',
      )
      .option('--force', 'apply every waiting change now, however long it has waited'),
    [...databaseKeys, 'entityBacklogDays'],
  ).action(async (options: Record<string, unknown>) => {
    const config = configFromOptions(options, io);
    await withStore(options, io, async (store) => {
      await migrate(store);
      const delayMs = options['force'] === true ? 0 : config.entityBacklogDays * DAY_MS;
      let applied = 0;
      for (;;) {
        const round = await forceProcessBacklog({ now: new Date(), delayMs, limit: 500 }, store);
        applied += round;
        if (round === 0) break;
      }
      io.out(`Applied ${applied} waiting case change${applied === 1 ? '' : 's'}.\n`);
    });
  });
}
