import type { Command } from 'commander';
import { addAppUser, appUserServerUrl, migrate, revokeAppUser, systemClock } from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { addConfigOptions, databaseKeys, withStore } from './options.js';
import { projectArg } from './projectArg.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `outpost app-user add|revoke`: ODK Collect credentials for a project, set up by QR code. */
export function registerAppUserCommands(program: Command, io: CliIo): void {
  const appUser = program.command('app-user').description('Add and revoke app users (ODK Collect device keys).');
  addConfigOptions(
    appUser
      .command('add')
      .description('Add an app user of a project and print its Collect server URL, which carries its key.')
      .requiredOption('--project <id-or-slug>', 'the project')
      .requiredOption('--display-name <text>', 'name shown in lists and the audit trail')
      .option('--area <code...>', 'the area code it works in (one); none for the whole project')
      .option('--team <name>', 'the team it belongs to')
      .option('--public-url <url>', 'the address devices reach the server at', 'http://localhost:8080')
      .option('--json', 'print {"id","token","serverUrl"} as JSON'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    const areas = (options['area'] as string[] | undefined) ?? [];
    if (areas.length > 1)
      throw new CliError('app-user add: --area: an app user works in one area (give its parent to cover several)');
    const publicUrl = String(options['publicUrl']);
    if (!/^https?:\/\/[^\s/]+/.test(publicUrl)) throw new CliError('app-user add: --public-url: give an http(s) URL');
    await withStore(options, io, async (store) => {
      await migrate(store);
      const project = await projectArg(String(options['project']), 'app-user add', store);
      const result = await addAppUser(
        {
          projectId: project.id,
          displayName: String(options['displayName']),
          areaCode: areas[0] ?? null,
          team: typeof options['team'] === 'string' ? options['team'] : null,
        },
        systemClock,
        store,
      );
      if (!result.ok)
        throw new CliError(`app-user add: --${result.field === 'area' ? 'area' : 'display-name'}: ${result.detail}`);
      const serverUrl = appUserServerUrl(publicUrl, result.token, project.id);
      if (options['json']) io.out(`${JSON.stringify({ id: result.id, token: result.token, serverUrl })}\n`);
      else io.out(`Added app user ${result.id}.\nCollect server URL: ${serverUrl}\n`);
    });
  });

  addConfigOptions(
    appUser.command('revoke').description('Revoke an app user: its next request is refused.').argument('<id>'),
    databaseKeys,
  ).action(async (id: string, options: Record<string, unknown>) => {
    if (!UUID.test(id)) throw new CliError(`app-user revoke: "${id}" is not an app user id`);
    await withStore(options, io, async (store) => {
      await migrate(store);
      if (!(await revokeAppUser(id.toLowerCase(), systemClock, store))) {
        throw new CliError(`app-user revoke: no active app user ${id}`);
      }
      io.out(`Revoked app user ${id}.\n`);
    });
  });
}
