import { findProjectById, findProjectBySlug } from '@outpost/server';
import type { Project, Store } from '@outpost/server';
import { CliError } from '../io.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The project a `--project ID_OR_SLUG` names; a CLI error naming the command when there is none. */
export async function projectArg(wanted: string, command: string, store: Store): Promise<Project> {
  const project = UUID.test(wanted)
    ? await findProjectById(wanted.toLowerCase(), store)
    : await findProjectBySlug(wanted, store);
  if (!project) throw new CliError(`${command}: --project: no project "${wanted}"`);
  return project;
}
