import { readFileSync } from 'node:fs';
import type { SeededRandom } from '@outpost/test-kit';
import { registerDevice } from '../auth/sessions.js';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { ensureEntityList, insertEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

// The Bayanzürkh social-protection project as the reliability tests need it: the household
// registration form published, khoroos to place cases in, field workers with devices, and a
// caseload shaped like the demo data.

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const clock = { now: () => new Date() };
export const FORM_VERSION = templateFormVersion('mn_household_registration');
export const KHOROOS = ['MN111051', 'MN111052', 'MN111053', 'MN111054'] as const;

export interface FieldProject {
  projectId: string;
  /** username -> user id */
  users: Record<string, string>;
}

/** A field worker of the whole district (every khoroo), as the sync tests pull for. */
export async function prepareFieldProject(
  options: { fieldworkers: readonly string[]; cases: number; random: SeededRandom },
  store: Store,
): Promise<FieldProject> {
  const projectId = (await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh social protection' }, store)).id;
  const areas = await upsertAreas(
    projectId,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
      ...KHOROOS.map((code, i) => ({
        code,
        parentCode: 'MN1110',
        level: 'khoroo',
        names: { en: `Khoroo ${i + 1}` },
      })),
    ],
    store,
  );
  const areaId = (code: string): string => {
    const found = areas.find((a) => a.code === code);
    if (found === undefined) throw new Error(`no area ${code}`);
    return found.id;
  };
  const published = await publishForm(
    {
      projectId,
      fileName: 'household_registration.xlsx',
      bytes: readFileSync(new URL('household_registration.xlsx', formsDir)),
      actorId: null,
    },
    store,
  );
  if (!published.ok) throw new Error('publishing household_registration failed');
  const users: Record<string, string> = {};
  for (const username of options.fieldworkers) {
    const added = await addUser(
      { username, displayName: username, role: 'fieldworker', password: 'correct horse battery' },
      null,
      clock,
      store,
    );
    if (!added.ok) throw new Error(added.detail);
    users[username] = added.user.id;
    await addMembership({ userId: added.user.id, projectId, roleId: 'fieldworker', areaId: areaId('MN1110') }, store);
  }
  if (options.cases > 0) {
    await store.transaction(async (tx) => {
      const list = await ensureEntityList(projectId, 'cases', tx);
      for (let i = 0; i < options.cases; i++) {
        const c = demoCase(options.random);
        await insertEntity(
          { listId: list.id, label: c.label, properties: c.properties, areaId: areaId(c.khoroo), status: 'open' },
          tx,
        );
      }
    });
  }
  return { projectId, users };
}

export async function newDevice(
  userId: string,
  name: string,
  store: Store,
): Promise<{ deviceId: string; token: string }> {
  return registerDevice({ userId, name }, clock, store);
}

const FAMILY = ['Боржигин', 'Тайчууд', 'Хиад', 'Сартуул', 'Урианхай', 'Жалайр', 'Олхонуд'];
const GIVEN = ['Болд', 'Сарнай', 'Ганбат', 'Оюунаа', 'Тэмүүлэн', 'Нарангэрэл', 'Энхжин', 'Батбаяр'];
const FATHERS = ['Батын', 'Доржийн', 'Ганбаатарын', 'Сүхийн', 'Очирын'];
const NEEDS = ['food', 'cash', 'housing', 'health', 'education'];

function demoCase(random: SeededRandom): { label: string; khoroo: string; properties: Record<string, string> } {
  const family = random.pick(FAMILY);
  const fathers = random.pick(FATHERS);
  const given = random.pick(GIVEN);
  const size = random.int(1, 9);
  return {
    label: `${fathers.slice(0, 1)}. ${given}`,
    khoroo: random.pick(KHOROOS),
    properties: {
      head_family_name: family,
      head_fathers_name: fathers,
      head_given_name: given,
      head_dob: `19${random.int(40, 99)}-0${random.int(1, 9)}-1${random.int(0, 9)}`,
      head_sex: random.pick(['male', 'female']),
      head_phone: String(random.int(88_000_000, 99_999_999)),
      household_size: String(size),
      children_count: String(random.int(0, size - 1)),
      needs: random.pick(NEEDS),
      monthly_income: String(random.int(0, 40) * 25_000),
      registration_date: '2026-02-14',
      case_status: 'open',
    },
  };
}

/** One saved household registration, as the device puts it in its outbox. */
export interface OutboxItem {
  seq: number;
  instanceId: string;
  formId: string;
  formVersion: string;
  xml: string;
}

/** `count` household registrations with device sequence numbers from `firstSeq`, ids drawn from `random`. */
export function householdOutbox(count: number, random: SeededRandom, firstSeq = 1): OutboxItem[] {
  return Array.from({ length: count }, (_, i) => {
    const instanceId = `uuid:${uuidFrom(random)}`;
    return {
      seq: firstSeq + i,
      instanceId,
      formId: 'mn_household_registration',
      formVersion: FORM_VERSION,
      xml: householdInstance({
        instanceId,
        entityId: uuidFrom(random),
        bag: random.pick(KHOROOS),
        given: random.pick(GIVEN),
      }),
    };
  });
}

/** A version-4-shaped UUID from the seeded generator, so a replayed seed pushes the same ids. */
function uuidFrom(random: SeededRandom): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = ((random.int(0, 3) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
