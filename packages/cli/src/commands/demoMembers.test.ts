import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullPage } from '@outpost/core';
import { PROTOCOL_VERSION, pulledRecords } from '@outpost/core';
import type { Store } from '@outpost/server';
import {
  buildApp,
  defaultSettings,
  findProjectBySlug,
  listAreas,
  listCaseCategories,
  migrate,
  openStore,
  publishForm,
} from '@outpost/server';
import { templates } from '@outpost/templates';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { unzipSync, strFromU8 } from 'fflate';
import { captureIo } from '../cliIo.test-support.js';
import { run } from '../program.js';
import { demoPassword, seedDemoIfEmpty } from './seed.js';

// The demo as `npm start` seeds it (120 cases per template): each login is sent exactly what the
// README's login table says, through the case list and through sync.

let dir: string;
let store: Store;
let app: Awaited<ReturnType<typeof buildApp>>;
/** Area code by area id, every project. */
const codeOf = new Map<string, string>();
const projects: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-demo-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  await seedDemoIfEmpty(store, 120);
  app = await buildApp({ store, settings: { ...defaultSettings, demo: true, loginRateLimitPerMinute: 1000 } });
  for (const slug of ['bayanzurkh', 'png-pa', 'helpdesk']) {
    const project = await findProjectBySlug(slug, store);
    if (project === undefined) throw new Error(slug);
    projects[slug] = project.id;
    for (const area of await listAreas(project.id, null, store)) codeOf.set(area.id, area.code);
  }
  // The registration form tells the policy that a household's label is built from names.
  const registration = new URL(
    '../../../../templates/mongolia-social-protection/forms/household_registration.xlsx',
    import.meta.url,
  );
  const published = await publishForm(
    {
      projectId: projects['bayanzurkh'] ?? '',
      fileName: 'household_registration.xlsx',
      bytes: readFileSync(registration),
      actorId: null,
    },
    store,
  );
  if (!published.ok) throw new Error(published.detail);
}, 120_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface ListedCase {
  id: string;
  label: string | null;
  area: { code: string } | null;
}

const sessions = new Map<string, SignedIn>();

/** One session per login: a second sign-in within the same 30 s would reuse a TOTP code. */
async function session(username: string): Promise<SignedIn> {
  const known = sessions.get(username);
  if (known !== undefined) return known;
  const fresh = await signIn(app, username, demoPassword);
  sessions.set(username, fresh);
  return fresh;
}

async function caseList(username: string, slug: string): Promise<ListedCase[] | number> {
  const { headers } = await session(username);
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/projects/${projects[slug]}/cases?limit=500`,
    headers,
  });
  if (res.statusCode !== 200) return res.statusCode;
  return res.json<{ items: ListedCase[] }>().items;
}

/** Every record a first sync sends the login, with the area codes of its (redacted) area path. */
async function pulled(
  username: string,
): Promise<Array<{ id: string; list: string; areas: string[]; props: Record<string, unknown> }>> {
  const { headers } = await session(username);
  const out: Array<{ id: string; list: string; areas: string[]; props: Record<string, unknown> }> = [];
  let cursors: Record<string, number> = {};
  for (let i = 0; i < 200; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers,
      payload: { protocol: PROTOCOL_VERSION, deviceId: `demo-${username}`, cursors, maxBytes: 1024 * 1024 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<PullPage>();
    for (const [id, list, , , , props] of pulledRecords(page)) {
      const areaPath = typeof props['__areaPath'] === 'string' ? props['__areaPath'] : '';
      const areas = areaPath
        .split('/')
        .filter((s) => s !== '')
        .map((id) => codeOf.get(id) ?? id);
      out.push({ id, list, areas, props });
    }
    cursors = page.cursors;
    if (!page.hasMore) return out;
  }
  throw new Error('pull never finished');
}

const khoroos1to5 = ['MN111051', 'MN111053', 'MN111055', 'MN111057', 'MN111059'];

describe('the demo logins', () => {
  it('fieldworker sees only khoroo 1 in Bayanzürkh, Varirata in PNG and the Mongolia office, in the list and in sync', async () => {
    const list = await caseList('fieldworker', 'bayanzurkh');
    if (typeof list === 'number') throw new Error(`case list: ${list}`);
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((c) => c.area?.code))).toEqual(new Set(['MN111051']));
    expect(list.every((c) => c.label !== null && c.label !== '')).toBe(true);

    const records = await pulled('fieldworker');
    const deepest = (r: { areas: string[] }) => r.areas[r.areas.length - 1];
    const cases = records.filter((r) => r.list === 'cases');
    expect(cases.map((r) => r.props['__label']).sort()).toEqual(list.map((c) => c.label).sort());
    expect(new Set(cases.map(deepest))).toEqual(new Set(['MN111051']));
    const png = records.filter((r) => ['incidents', 'observations', 'protected_areas'].includes(r.list));
    expect(png.length).toBeGreaterThan(0);
    expect(new Set(png.map(deepest))).toEqual(new Set(['PA-VARIRATA']));
    const requests = records.filter((r) => r.list === 'requests');
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests.map(deepest))).toEqual(new Set(['MN']));
  }, 120_000);

  it('fieldworker2 sees only khoroo 6, and the supervisor khoroos 1–5 but not khoroo 6', async () => {
    const second = await caseList('fieldworker2', 'bayanzurkh');
    if (typeof second === 'number') throw new Error(`case list: ${second}`);
    expect(second.length).toBeGreaterThan(0);
    expect(new Set(second.map((c) => c.area?.code))).toEqual(new Set(['MN111061']));

    const supervised = await caseList('supervisor', 'bayanzurkh');
    if (typeof supervised === 'number') throw new Error(`case list: ${supervised}`);
    const codes = new Set(supervised.map((c) => c.area?.code ?? ''));
    expect([...codes].every((code) => khoroos1to5.includes(code))).toBe(true);
    expect(codes.has('MN111051')).toBe(true);
    expect(supervised.length).toBeGreaterThan(list1Count(supervised));
    const png = (await pulled('supervisor')).filter((r) => r.list === 'incidents');
    expect(new Set(png.map((r) => r.areas[0]))).toEqual(new Set(['PG-CPM', 'PG-SHM']));
  }, 120_000);

  it('analyst sees all 120 households of Bayanzürkh with no names and locations on a 1 km grid', async () => {
    const list = await caseList('analyst', 'bayanzurkh');
    if (typeof list === 'number') throw new Error(`case list: ${list}`);
    expect(list.length).toBe(120);
    expect(list.every((c) => c.label === null)).toBe(true);
    const cases = (await pulled('analyst')).filter((r) => r.list === 'cases');
    expect(cases.length).toBe(120);
    for (const { props } of cases) {
      expect(props['__label']).toBeNull();
      expect(props['head_given_name']).toBeUndefined();
      expect(props['head_register_number']).toBeUndefined();
    }
    // Positions arrive snapped: no coordinate keeps more than the grid's precision.
    const geometries = cases.map((r) => r.props['geometry']).filter((g) => typeof g === 'string' && g !== '');
    expect(geometries.length).toBeGreaterThan(0);
    const exact = (await pulled('admin')).filter((r) => r.list === 'cases').map((r) => r.props['geometry']);
    expect(geometries.some((g) => exact.includes(g))).toBe(false);
  }, 120_000);
});

function list1Count(cases: ListedCase[]): number {
  return cases.filter((c) => c.area?.code === 'MN111051').length;
}

/** The project's template forms with how many submissions each has, as the administrator lists them. */
async function submissionsPerForm(slug: string, template: string): Promise<Record<string, number>> {
  const { headers } = await session('admin');
  const out: Record<string, number> = {};
  for (const form of templates[template]?.forms ?? []) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projects[slug]}/forms/${form.formId}/submissions?limit=1`,
      headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    out[form.formId] = res.json<{ total: number }>().total;
  }
  return out;
}

describe('the demo is made of submissions', () => {
  const slugs = { bayanzurkh: 'mongolia-social-protection', 'png-pa': 'png-protected-areas', helpdesk: 'helpdesk' };

  it('has submissions of every form of each template, received over several months', async () => {
    const { headers } = await session('admin');
    for (const [slug, template] of Object.entries(slugs)) {
      const counts = await submissionsPerForm(slug, template);
      for (const [formId, total] of Object.entries(counts)) expect(total, `${slug} ${formId}`).toBeGreaterThan(0);
    }
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projects['bayanzurkh']}/forms/mn_visit/submissions?limit=500`,
      headers,
    });
    const visits = res.json<{ items: Array<{ receivedAt: string }> }>().items;
    const months = new Set(visits.map((v) => v.receivedAt.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(4);
    expect(visits.every((v) => Date.parse(v.receivedAt) < Date.now())).toBe(true);
  }, 120_000);

  it('gives every case a history that starts with the submission that created it', async () => {
    const { headers } = await session('admin');
    for (const slug of Object.keys(slugs)) {
      const list = await caseList('admin', slug);
      if (typeof list === 'number') throw new Error(`case list: ${list}`);
      expect(list.length).toBeGreaterThan(0);
      for (const c of list) {
        const res = await app.inject({
          method: 'GET',
          url: `/api/v1/projects/${projects[slug]}/cases/${c.id}/history`,
          headers,
        });
        expect(res.statusCode, res.body).toBe(200);
        const items = res.json<{ items: Array<{ version: number; form: { id: string } | null; by: string | null }> }>()
          .items;
        const first = items.find((i) => i.version === 1);
        expect(first?.form, `${slug} ${c.id}`).not.toBeNull();
        expect(first?.by, `${slug} ${c.id}`).not.toBeNull();
      }
    }
  }, 300_000);

  it('leaves follow-ups overdue, due within the week and later, and the khoroo workers as submitters', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const week = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const cases = (await pulled('admin')).filter((r) => r.list === 'cases' && r.props['case_status'] !== 'closed');
    const due = cases.map((r) => r.props['next_visit_date']).filter((d): d is string => typeof d === 'string');
    expect(due.filter((d) => d < today).length).toBeGreaterThan(0);
    expect(due.filter((d) => d >= today && d <= week).length).toBeGreaterThan(0);
    expect(due.filter((d) => d > week).length).toBeGreaterThan(0);
    // The social worker of khoroo 1 registered its households.
    const { headers } = await session('admin');
    const list = await caseList('admin', 'bayanzurkh');
    if (typeof list === 'number') throw new Error(`case list: ${list}`);
    const inKhoroo1 = list.filter((c) => c.area?.code === 'MN111051');
    expect(inKhoroo1.length).toBeGreaterThan(0);
    for (const c of inKhoroo1) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/projects/${projects['bayanzurkh']}/cases/${c.id}/history`,
        headers,
      });
      const first = res.json<{ items: Array<{ version: number; by: string | null }> }>().items.at(-1);
      expect(first).toMatchObject({ version: 1, by: 'Bat-Erdene Oyunaa (social worker)' });
    }
  }, 120_000);

  it('defines every category the demo cases carry, named from the template’s choices', async () => {
    const lists: Record<string, string[]> = {
      bayanzurkh: ['cases'],
      'png-pa': ['incidents', 'observations', 'protected_areas'],
      helpdesk: ['requests'],
    };
    const records = await pulled('admin');
    for (const [slug, names] of Object.entries(lists)) {
      const codes = new Set((await listCaseCategories(projects[slug] ?? '', store)).map((c) => c.code));
      const carried = records
        .filter((r) => names.includes(r.list))
        .flatMap((r) => {
          const value = r.props['__categories'];
          return typeof value === 'string' ? value.split(' ').filter((c) => c !== '') : [];
        });
      expect(carried.length, slug).toBeGreaterThan(0);
      for (const code of carried) expect(codes.has(code), `${slug} ${code}`).toBe(true);
    }
    const bayanzurkh = await listCaseCategories(projects['bayanzurkh'] ?? '', store);
    expect(bayanzurkh.find((c) => c.code === 'elderly')?.names).toEqual({ mn: 'Ахмад настан', en: 'Elderly person' });
  }, 120_000);

  it('sends the other household members with each registration, counted as the form counts them', async () => {
    const registrations = await registrationData();
    expect(registrations.length).toBe(120);
    const sizes = registrations.map((r) => membersOf(r).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(120);
    expect(sizes.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(4);
    for (const data of registrations) {
      const head = (data['head'] ?? {}) as Record<string, string>;
      const members = membersOf(data);
      // Each age as the form calculates it on the day the registration was filled in.
      const day = String(data['today']);
      expect(Number(head['head_age'])).toBe(yearsOn(head['head_dob'] ?? '', day));
      for (const m of members) {
        expect(m['member_given_name'], JSON.stringify(m)).toMatch(/^[А-ЯЁӨҮ]/u);
        expect(m['member_register_number']).toMatch(/^[А-ЯЁӨҮ]{2}\d{8}$/u);
        expect(Number(m['member_age'])).toBe(yearsOn(m['member_dob'] ?? '', day));
      }
      const ages = [head['head_age'], ...members.map((m) => m['member_age'])].map(Number);
      expect(Number(data['household_size'])).toBe(members.length + 1);
      expect(Number(data['children_count'])).toBe(ages.filter((a) => a < 18).length);
      expect(Number(data['elderly_count'])).toBe(ages.filter((a) => a >= 60).length);
    }
    // The case keeps the counts its registration sent.
    const cases = (await pulled('admin')).filter((r) => r.list === 'cases');
    const sizeOf = new Map(registrations.map((r) => [entityIdOf(r), String(r['household_size'])]));
    expect(cases.length).toBe(120);
    for (const c of cases) expect(c.props['household_size']).toBe(sizeOf.get(c.id));
  }, 120_000);

  it('exports rows of the household registration and a table of its members with `outpost export`', async () => {
    const out = path.join(dir, 'registrations.csv.zip');
    const io = captureIo();
    const args = ['export', '--project', 'bayanzurkh', '--form', 'mn_household_registration', '--format', 'csv'];
    expect(await run([...args, '--out', out, '--data-dir', dir], io), io.stderr()).toBe(0);
    const files = unzipSync(new Uint8Array(readFileSync(out)));
    const lines = (name: string) =>
      strFromU8(files[name] ?? new Uint8Array())
        .split('\r\n')
        .filter((l) => l !== '');
    expect(lines('mn_household_registration.csv').length).toBe(121);
    // Names, register numbers and codes hold no comma: each line splits into its fields.
    const [header = '', ...rows] = lines('mn_household_registration-members.csv');
    const columns = header.split(',');
    const at = (row: string, column: string) => row.split(',')[columns.indexOf(column)] ?? '';
    expect(columns).toEqual(expect.arrayContaining(['member_given_name', 'member_relationship', 'PARENT_KEY']));
    const registrations = await registrationData();
    const expected = registrations.flatMap((r) =>
      membersOf(r).map((m) => `${instanceIdOf(r)} ${m['member_given_name']} ${m['member_relationship']}`),
    );
    expect(rows.length).toBe(expected.length);
    expect(
      rows.map((r) => `${at(r, 'PARENT_KEY')} ${at(r, 'member_given_name')} ${at(r, 'member_relationship')}`).sort(),
    ).toEqual(expected.sort());
  }, 120_000);
});

/** The data of every household registration, as the administrator reads the submissions. */
async function registrationData(): Promise<Array<Record<string, unknown>>> {
  const { headers } = await session('admin');
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/projects/${projects['bayanzurkh']}/forms/mn_household_registration/submissions?limit=500`,
    headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Array<{ data: Record<string, unknown> }> }>().items.map((i) => i.data);
}

function membersOf(data: Record<string, unknown>): Array<Record<string, string>> {
  const members = data['members'];
  return Array.isArray(members) ? (members as Array<Record<string, string>>) : [];
}

function metaOf(data: Record<string, unknown>): { instanceID?: string; entity?: { '@id'?: string } } {
  return data['meta'] ?? {};
}

const instanceIdOf = (data: Record<string, unknown>): string => metaOf(data).instanceID ?? '';
const entityIdOf = (data: Record<string, unknown>): string => metaOf(data).entity?.['@id'] ?? '';

/** Whole years from `dob` to `day`, as the form's `int((decimal-date-time(today()) - decimal-date-time(dob)) div 365.25)`. */
function yearsOn(dob: string, day: string): number {
  return Math.floor((Date.parse(day) - Date.parse(dob)) / 86_400_000 / 365.25);
}
