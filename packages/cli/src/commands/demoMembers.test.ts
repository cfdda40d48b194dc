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
  migrate,
  openStore,
  publishForm,
} from '@outpost/server';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
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
): Promise<Array<{ list: string; areas: string[]; props: Record<string, unknown> }>> {
  const { headers } = await session(username);
  const out: Array<{ list: string; areas: string[]; props: Record<string, unknown> }> = [];
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
    for (const [, list, , , , props] of pulledRecords(page)) {
      const areaPath = typeof props['__areaPath'] === 'string' ? props['__areaPath'] : '';
      const areas = areaPath
        .split('/')
        .filter((s) => s !== '')
        .map((id) => codeOf.get(id) ?? id);
      out.push({ list, areas, props });
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
