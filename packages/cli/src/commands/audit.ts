import type { Command } from 'commander';
import { migrate, verifyAuditChain } from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { addConfigOptions, databaseKeys, withStore } from './options.js';

export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('Check the tamper-evident audit log.');
  addConfigOptions(
    audit
      .command('verify')
      .description(
        'Re-compute the hash chain; exit 1 and name the first broken entry if any was altered, removed or reordered.',
      ),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    await withStore(options, io, async (store) => {
      await migrate(store);
      const verdict = await verifyAuditChain(store);
      if (!verdict.ok) throw new CliError(`audit log broken at entry ${verdict.seq}: ${verdict.reason}`);
      io.out(`Audit log intact: ${verdict.count} entries.\n`);
    });
  });
}
