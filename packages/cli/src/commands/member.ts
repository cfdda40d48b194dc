import { Option } from 'commander';
import type { Command } from 'commander';
import { roles } from '@outpost/core';
import type { MemberView, Store } from '@outpost/server';
import {
  findUserByUsername,
  listProjectMembers,
  listProjects,
  migrate,
  removeProjectMember,
  setProjectMember,
} from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { addConfigOptions, databaseKeys, withStore } from './options.js';
import { projectArg } from './projectArg.js';

/** `outpost member add|remove|list`: who is in a project, with which role and scope. */
export function registerMemberCommands(program: Command, io: CliIo): void {
  const member = program
    .command('member')
    .description('Add users to projects with a role and a scope, change, remove and list them.');

  addConfigOptions(
    member
      .command('add')
      .description(
        'Add a user to a project, or change their role and scope there. Without --area, --team or --own the ' +
          'user reaches the whole project; areas and a team also reach the cases assigned to the user.',
      )
      .requiredOption('--project <id or slug>', 'the project')
      .requiredOption('--user <username>', 'the user')
      .addOption(new Option('--role <role>', 'role in the project').choices(roles).makeOptionMandatory())
      .option('--area <code...>', "area codes from the project's area list (each reaches its subtree)")
      .option('--team <name>', 'a team')
      .option('--own', 'only the cases assigned to the user'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    await withStore(options, io, async (store) => {
      await migrate(store);
      const project = await projectArg(String(options['project']), 'member add', store);
      const user = await userOf(String(options['user']), 'member add', store);
      const areas = Array.isArray(options['area']) ? options['area'].map(String) : [];
      const team = typeof options['team'] === 'string' ? options['team'] : null;
      const result = await setProjectMember(
        project.id,
        user.id,
        { role: String(options['role']), areas, team, own: options['own'] === true },
        null,
        store,
      );
      if (!result.ok) {
        const flag = result.field === undefined ? '' : `--${result.field === 'areas' ? 'area' : result.field}: `;
        throw new CliError(`member add: ${flag}${result.detail}`);
      }
      io.out(
        `${result.created ? 'Added' : 'Changed'} ${user.username} in ${project.slug}: ${describe(result.member)}.\n`,
      );
    });
  });

  addConfigOptions(
    member
      .command('remove')
      .description('Take a user out of a project; their devices drop its cases at the next sync.')
      .requiredOption('--project <id or slug>', 'the project')
      .requiredOption('--user <username>', 'the user'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    await withStore(options, io, async (store) => {
      await migrate(store);
      const project = await projectArg(String(options['project']), 'member remove', store);
      const user = await userOf(String(options['user']), 'member remove', store);
      if (!(await removeProjectMember(project.id, user.id, null, store))) {
        throw new CliError(`member remove: ${user.username} is not in ${project.slug}`);
      }
      io.out(`Removed ${user.username} from ${project.slug}.\n`);
    });
  });

  addConfigOptions(
    member
      .command('list')
      .description("List a project's members with their role and scope (every project without --project).")
      .option('--project <id or slug>', 'the project'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    await withStore(options, io, async (store) => {
      await migrate(store);
      const wanted = options['project'];
      const projects =
        typeof wanted === 'string' ? [await projectArg(wanted, 'member list', store)] : await listProjects(store);
      for (const project of projects) {
        const members = await listProjectMembers(project.id, store);
        io.out(`${project.slug} (${project.name})\n`);
        if (members.length === 0) io.out('  no members\n');
        for (const m of members) io.out(`  ${m.username}\t${describe(m)}\n`);
      }
    });
  });
}

/** `fieldworker, areas MN111051 (Khoroo 1)`, `supervisor, whole project`, … in English. */
export function describe(m: MemberView): string {
  if (m.wholeProject) return `${m.role}, whole project`;
  const parts: string[] = [];
  if (m.areas.length > 0) {
    parts.push(`areas ${m.areas.map((a) => `${a.code} (${a.names['en'] ?? a.names['mn'] ?? a.code})`).join(', ')}`);
  }
  if (m.team !== null) parts.push(`team ${m.team}`);
  if (parts.length === 0) return `${m.role}, own assignments only`;
  return `${m.role}, ${parts.join(', ')} and own assignments`;
}

async function userOf(username: string, command: string, store: Store) {
  const user = await findUserByUsername(username, store);
  if (!user) throw new CliError(`${command}: --user: no user "${username}"`);
  return user;
}
