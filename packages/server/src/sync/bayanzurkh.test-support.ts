import { readFileSync } from 'node:fs';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

// The sync tests' project: Bayanzürkh with its khoroos, Mongolia's household registration and
// visit forms published, and the members each test names with their role and area.

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const clock = { now: () => new Date() };

export type Member = readonly [username: string, role: 'fieldworker' | 'supervisor' | 'analyst', areaCode: string];

export interface Bayanzurkh {
  projectId: string;
  /** Area id by code: MN11, MN1110, MN111051 (khoroo 1), MN111052 (khoroo 2). */
  areaIds: Record<string, string>;
  /** User id by username. */
  users: Record<string, string>;
}

/** Ulaanbaatar › Bayanzürkh › Khoroo 1 and 2: the area list the server's scenario tests share. */
export const BAYANZURKH_AREAS = [
  { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
  { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
  { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
  { code: 'MN111052', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 2' } },
];

export async function seedBayanzurkh(
  store: Store,
  members: readonly Member[],
  options: { password?: string; projectName?: string } = {},
): Promise<Bayanzurkh> {
  const project = await createProject({ slug: 'bayanzurkh', name: options.projectName ?? 'Bayanzürkh' }, store);
  const areas = await upsertAreas(project.id, '2024', BAYANZURKH_AREAS, store);
  const areaIds = Object.fromEntries(areas.map((a) => [a.code, a.id]));
  for (const file of ['household_registration', 'visit']) {
    const bytes = readFileSync(new URL(`${file}.xlsx`, formsDir));
    const published = await publishForm(
      { projectId: project.id, fileName: `${file}.xlsx`, bytes, actorId: null },
      store,
    );
    if (!published.ok) throw new Error(`publishing ${file} failed`);
  }
  const users: Record<string, string> = {};
  for (const [username, role, area] of members) {
    const password = options.password ?? 'correct horse battery';
    const added = await addUser({ username, displayName: username, role, password }, null, clock, store);
    if (!added.ok) throw new Error(added.detail);
    users[username] = added.user.id;
    await addMembership(
      { userId: added.user.id, projectId: project.id, roleId: role, areaId: areaIds[area] ?? null },
      store,
    );
  }
  return { projectId: project.id, areaIds, users };
}

/** A visit of the case by bolor, as the device sends it: an update of `entityId`. */
export function visitInstance(v: {
  instanceId: string;
  entityId: string;
  baseVersion: number;
  needs: string;
  status?: string;
  trunkVersion?: number;
  branchId?: string;
  extra?: string;
}): string {
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_visit" version="${templateFormVersion('mn_visit')}">
  <start>2026-03-05T10:00:00.000+08:00</start><end>2026-03-05T10:15:00.000+08:00</end><today>2026-03-05</today><username>bolor</username>
  <case_id>${v.entityId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <visit_location/><observations/><needs>${v.needs}</needs><next_visit_date>2026-04-05</next_visit_date><case_status>${v.status ?? 'in_progress'}</case_status>
  <meta><instanceID>${v.instanceId}</instanceID>
    <entity dataset="cases" id="${v.entityId}" update="1" baseVersion="${v.baseVersion}" trunkVersion="${v.trunkVersion ?? ''}" branchId="${v.branchId ?? ''}"${v.extra ?? ''}/></meta>
</data>`;
}
