import type { Store } from '@outpost/server';
import { findProjectBySlug, findUserByUsername, setProjectMember } from '@outpost/server';
import { CliError } from '../io.js';

// Who the demo logins are and what each one reaches, so the demo shows the privacy the product
// promises: field workers each see one khoroo, protected area or office, the supervisor a few
// khoroos, the analyst whole projects without names and with locations on a 1 km grid. The README's
// login table says the same; `demoMembers.test.ts` checks it against what each login is sent.

export const demoUsers = [
  { username: 'admin', displayName: 'Demo administrator', role: 'admin', sees: 'everything' },
  {
    username: 'supervisor',
    displayName: 'Ganbold Tsetseg (supervisor)',
    role: 'supervisor',
    sees: 'khoroos 1-5; Central and Southern Highlands; every office',
  },
  {
    username: 'fieldworker',
    displayName: 'Bat-Erdene Oyunaa (social worker)',
    role: 'fieldworker',
    sees: 'khoroo 1; Varirata; Mongolia office',
  },
  {
    username: 'fieldworker2',
    displayName: 'Dorj Saruul (social worker)',
    role: 'fieldworker',
    sees: 'khoroo 6; Lake Kutubu; PNG office',
  },
  {
    username: 'analyst',
    displayName: 'Demo analyst',
    role: 'analyst',
    sees: 'every project, no names, 1 km grid',
  },
] as const;

export type DemoUsername = (typeof demoUsers)[number]['username'];

export interface DemoMembership {
  username: DemoUsername;
  role: string;
  /** Area codes of the template's area list; none for the whole project. */
  areas?: readonly string[];
}

/** Per template: the demo logins in its project. `admin` administers every project as it is. */
export const demoMemberships: Readonly<Record<string, readonly DemoMembership[]>> = {
  'mongolia-social-protection': [
    // Khoroos 1–5 of Bayanzürkh.
    { username: 'supervisor', role: 'supervisor', areas: ['MN111051', 'MN111053', 'MN111055', 'MN111057', 'MN111059'] },
    { username: 'fieldworker', role: 'fieldworker', areas: ['MN111051'] },
    { username: 'fieldworker2', role: 'fieldworker', areas: ['MN111061'] },
    { username: 'analyst', role: 'analyst' },
  ],
  'png-protected-areas': [
    // Central and Southern Highlands provinces: Varirata and Lake Kutubu.
    { username: 'supervisor', role: 'supervisor', areas: ['PG-CPM', 'PG-SHM'] },
    { username: 'fieldworker', role: 'fieldworker', areas: ['PA-VARIRATA'] },
    { username: 'fieldworker2', role: 'fieldworker', areas: ['PA-KUTUBU'] },
    { username: 'analyst', role: 'analyst' },
  ],
  helpdesk: [
    { username: 'supervisor', role: 'supervisor' },
    { username: 'fieldworker', role: 'fieldworker', areas: ['MN'] },
    { username: 'fieldworker2', role: 'fieldworker', areas: ['PG'] },
    { username: 'analyst', role: 'analyst' },
  ],
};

/** Gives the demo logins their memberships in the template's project (audited as the system). */
export async function addDemoMemberships(template: string, slug: string, store: Store): Promise<void> {
  const memberships = demoMemberships[template] ?? [];
  const project = await findProjectBySlug(slug, store);
  if (project === undefined) throw new CliError(`demo memberships: no project "${slug}"`);
  for (const m of memberships) {
    const user = await findUserByUsername(m.username, store);
    if (user === undefined) throw new CliError(`demo memberships: no user "${m.username}"`);
    const result = await setProjectMember(project.id, user.id, { role: m.role, areas: m.areas ?? [] }, null, store);
    if (!result.ok) throw new CliError(`demo memberships of ${m.username} in ${slug}: ${result.detail}`);
  }
}
