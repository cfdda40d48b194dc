import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OData } from '@odata/client';
import { parse as parseEdmx } from '@sap-ux/edmx-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { listAuditEvents } from '../storage/queries/audit.js';
import { addMembership } from '../storage/queries/memberships.js';
import { updateEntity } from '../storage/queries/entities.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { receiveSubmission } from '../submissions/receiveSubmission.js';

// The OData feed as Power BI and Excel read it: consumed by an OData client library from npm
// (@odata/client) over real HTTP, its $metadata parsed as CSDL (@sap-ux/edmx-parser), paged by
// the server while submissions arrive, and always through the reader's policy.

const registration = new URL(
  '../../../../templates/mongolia-social-protection/forms/household_registration.xlsx',
  import.meta.url,
);
const password = 'correct horse battery staple';

/** The parts of @sap-ux/edmx-parser's result these tests read (its own types come from a vocabulary package). */
interface Csdl {
  schema: {
    entityTypes: Array<{
      name: string;
      keys: Array<{ name: string }>;
      entityProperties: Array<{ name: string; type: string }>;
      navigationProperties: Array<{ name: string; isCollection: boolean }>;
    }>;
    complexTypes: Array<{ name: string; properties: Array<{ name: string; type: string }> }>;
    entitySets: Array<{ name: string }>;
  };
}
const parseCsdl = (xml: string): Csdl => parseEdmx(xml, 'outpost');
const clock = { now: () => new Date() };

let dir: string;
let store: Store;
let app: FastifyInstance;
let base: string;
let projectId: string;
let svc: string;
const givens = ['Болд', 'Сараа', 'Дулмаа', 'Оюун', 'Тэмүүлэн', 'Ганбат'];
const ids = givens.map(() => `uuid:${randomUUID()}`);

const member = (given: string, age: number): string =>
  `<members><member_family_name/><member_fathers_name>Батын</member_fathers_name><member_given_name>${given}</member_given_name>` +
  `<member_register_number/><member_dob>2015-06-01</member_dob><member_age>${age}</member_age><member_age_note/>` +
  '<member_sex>female</member_sex><member_relationship>child</member_relationship></members>';

async function submit(i: number, income: string, bag = 'MN111051'): Promise<void> {
  const instanceId = ids[i] ?? `uuid:${randomUUID()}`;
  let xml = householdInstance({ instanceId, entityId: randomUUID(), given: givens[i] ?? 'X', income, bag });
  if (i === 0) xml = xml.replace('<household_size>', `${member('Нараа', 11)}${member('Тулга', 7)}<household_size>`);
  xml = xml.replace('<location/>', '<location>47.9181234 106.9171234 1350 5</location>');
  const r = await receiveSubmission({ projectId, xml, userId: null, deviceId: null }, store);
  if (!r.ok) throw new Error(JSON.stringify(r));
}

const basic = (user: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(url.startsWith('http') ? url : `${base}${url}`, { headers });
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-odata-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  const project = await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store);
  projectId = project.id;
  await upsertAreas(
    project.id,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { mn: 'Улаанбаатар' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { mn: 'Баянзүрх' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { mn: '1-р хороо' } },
      { code: 'MN111052', parentCode: 'MN1110', level: 'khoroo', names: { mn: '2-р хороо' } },
    ],
    store,
  );
  const published = await publishForm(
    { projectId, fileName: 'household_registration.xlsx', bytes: readFileSync(registration), actorId: null },
    store,
  );
  if (!published.ok) throw new Error(JSON.stringify(published));
  for (const [username, role] of [
    ['analyst', 'analyst'],
    ['officer', 'fieldworker'],
    ['manager', 'admin'],
  ] as const) {
    const r = await addUser({ username, displayName: username, role, password }, null, clock, store);
    if (!r.ok) throw new Error(JSON.stringify(r));
    await addMembership({ userId: r.user.id, projectId, roleId: role }, store);
  }
  await submit(0, '450000');
  await submit(1, '120000');
  await submit(2, '980000', 'MN111052');
  app = await buildApp({ store, settings: defaultSettings, clock });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  svc = `/v1/projects/${projectId}/forms/mn_household_registration.svc`;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the OData feed of a form', () => {
  it('answers the service document with the submissions and one table per repeat', async () => {
    const res = await get(svc, { authorization: basic('analyst') });
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.body) as { '@odata.context': string; value: Array<{ name: string }> };
    expect(doc['@odata.context']).toBe(`${base}${svc}/$metadata`);
    expect(doc.value.map((v) => v.name)).toEqual(['Submissions', 'Submissions.members']);
  });

  it('describes the tables in CSDL that a CSDL parser reads: keys, types, groups and the repeat navigation', async () => {
    const res = await get(`${svc}/$metadata`, { authorization: basic('analyst') });
    expect(res.status).toBe(200);
    const schema = parseCsdl(res.body);
    const types = new Map(schema.schema.entityTypes.map((t) => [t.name, t]));
    const submissions = types.get('Submissions');
    expect(submissions?.keys.map((k) => k.name)).toEqual(['__id']);
    const props = new Map(submissions?.entityProperties.map((p) => [p.name, p.type]));
    // A calculate is a string, as Central types it; typed questions keep their types.
    expect(props.get('household_size')).toBe('Edm.String');
    const complexTypes = new Map(schema.schema.complexTypes.map((c) => [c.name, c]));
    expect(complexTypes.get('situation')?.properties.find((p) => p.name === 'monthly_income')?.type).toBe('Edm.Int64');
    expect(complexTypes.get('head')?.properties.find((p) => p.name === 'head_dob')?.type).toBe('Edm.Date');
    expect(props.get('head')).toBe('org.opendatakit.user.mn_household_registration.head');
    const members = types.get('Submissions__members');
    expect(members?.entityProperties.map((p) => p.name)).toContain('__Submissions-id');
    expect(members?.entityProperties.find((p) => p.name === 'member_dob')?.type).toBe('Edm.Date');
    const nav = submissions?.navigationProperties.find((n) => n.name === 'members');
    expect(nav?.isCollection).toBe(true);
    expect(schema.schema.entitySets.map((s) => s.name)).toEqual(['Submissions', 'Submissions.members']);
    const complex = schema.schema.complexTypes.find((c) => c.name === 'address');
    expect(complex?.properties.find((p) => p.name === 'location')?.type).toBe('Edm.GeographyPoint');
  });

  it('is read by an OData client library: filters, counts, selections and sorts on any field', async () => {
    const client = OData.New4({
      serviceEndpoint: `${base}${svc}/`,
      credential: { username: 'analyst', password },
    });
    const set = client.getEntitySet<Record<string, unknown>>('Submissions');
    const all = await set.query(client.newOptions().count(true));
    expect(all).toHaveLength(3);
    const rich = await set.query(
      client.newOptions().filter(client.newFilter().property('situation/monthly_income').gt(200000)),
    );
    expect(rich.map((r) => r.__id).sort()).toEqual([ids[0], ids[2]].sort());
    const sorted = await set.query(
      client.newOptions().orderby('situation/monthly_income', 'desc').select(['__id', 'situation/monthly_income']),
    );
    expect(sorted.map((r) => (r.situation as { monthly_income: number }).monthly_income)).toEqual([
      980000, 450000, 120000,
    ]);
    expect(Object.keys(sorted[0] ?? {}).sort()).toEqual(['__id', 'situation']);
    const repeat = client.getEntitySet<Record<string, unknown>>('Submissions.members');
    const children = await repeat.query(client.newOptions().filter(client.newFilter().property('member_age').lt(10)));
    expect(children).toHaveLength(1);
    expect(children[0]?.['__Submissions-id']).toBe(ids[0]);
  });

  it('sends the repeats inline with $expand, as Central does with $expand=*', async () => {
    const client = OData.New4({
      serviceEndpoint: `${base}${svc}/`,
      credential: { username: 'analyst', password },
    });
    const set = client.getEntitySet<Record<string, unknown>>('Submissions');
    const rows = await set.query(
      client
        .newOptions()
        .expand('*')
        .filter(
          client
            .newFilter()
            .property('__id')
            .eq(ids[0] ?? ''),
        ),
    );
    expect(rows).toHaveLength(1);
    const members = rows[0]?.members as Array<Record<string, unknown>>;
    expect(members.map((m) => m.__id)).toEqual([`${ids[0]}/members[1]`, `${ids[0]}/members[2]`]);
    expect(members.map((m) => m['__Submissions-id'])).toEqual([ids[0], ids[0]]);
    expect(members.map((m) => m.member_age)).toEqual(['11', '7']);
    expect(rows[0]?.['members@odata.navigationLink']).toBeUndefined();
    // The policy holds inline as in the repeat's own table: no names for the analyst.
    expect(JSON.stringify(rows)).not.toContain('Нараа');
    // By name, with $select: the repeat stays beside the selected fields; no repeat is an empty list.
    const named = await get(`${svc}/Submissions?$expand=members&$select=__id,household_size`, {
      authorization: basic('analyst'),
    });
    expect(named.status, named.body).toBe(200);
    const value = (JSON.parse(named.body) as { value: Array<Record<string, unknown>> }).value;
    expect(Object.keys(value[0] ?? {}).sort()).toEqual(['__id', 'household_size', 'members']);
    expect((value[1]?.members as unknown[]).length).toBe(0);
    // Without $expand the repeat stays a navigation link.
    const plain = await get(`${svc}/Submissions?$top=1`, { authorization: basic('analyst') });
    expect(JSON.parse(plain.body).value[0]['members@odata.navigationLink']).toContain('/members');
  });

  it('offers the common operators and functions in $filter', async () => {
    const cases: Array<[string, number]> = [
      ["contains(situation/needs,'oo')", 3],
      ['year(registration_date) eq 2026 and month(registration_date) eq 3', 3],
      ['situation/monthly_income add 1 gt 450000', 2],
      ['not (situation/monthly_income eq 450000)', 2],
      ['household_size ge 1 or household_size eq null', 3],
      ["startswith(toupper(situation/needs),'FOO') and situation/monthly_income lt 500000", 2],
      ['__system/submissionDate lt now()', 3],
      ["length(situation/needs) eq 4 and endswith(situation/needs,'od')", 3],
    ];
    for (const [filter, expected] of cases) {
      const res = await get(`${svc}/Submissions?$filter=${encodeURIComponent(filter)}&$count=true`, {
        authorization: basic('analyst'),
      });
      expect(res.status, `${filter}: ${res.body}`).toBe(200);
      expect((JSON.parse(res.body) as { '@odata.count': number })['@odata.count'], filter).toBe(expected);
    }
  });

  it('refuses a bad query with a 400 problem that names it', async () => {
    for (const q of [
      '$filter=nosuchfield eq 1',
      "$filter=frobnicate(address/bag) eq 'x'",
      '$filter=household_size eq',
      '$orderby=nosuch desc',
      '$top=-1',
      '$skiptoken=not-ours',
      '$expand=nosuch',
    ]) {
      const res = await get(`${svc}/Submissions?${q}`, { authorization: basic('analyst') });
      expect(res.status, q).toBe(400);
      expect((JSON.parse(res.body) as { code: string }).code, q).toBe('odata.invalid-query');
    }
    const missing = await get(`${svc}/Nope`, { authorization: basic('analyst') });
    expect(missing.status).toBe(404);
  });

  it('pages by an opaque cursor that stays consistent while submissions arrive', async () => {
    const headers = { authorization: basic('analyst'), prefer: 'odata.maxpagesize=2' };
    const first = JSON.parse((await get(`${svc}/Submissions?$count=true`, headers)).body) as {
      value: Array<{ __id: string }>;
      '@odata.count': number;
      '@odata.nextLink': string;
    };
    expect(first.value).toHaveLength(2);
    expect(first['@odata.count']).toBe(3);
    // New data arrives between pages: the paging run finishes on the data it started with.
    await submit(3, '50000');
    const second = JSON.parse((await get(first['@odata.nextLink'], headers)).body) as {
      value: Array<{ __id: string }>;
      '@odata.count': number;
      '@odata.nextLink'?: string;
    };
    expect(second['@odata.count']).toBe(3);
    expect(second['@odata.nextLink']).toBeUndefined();
    expect([...first.value, ...second.value].map((r) => r.__id)).toEqual(ids.slice(0, 3));
    // A fresh read sees it.
    const fresh = JSON.parse((await get(`${svc}/Submissions?$count=true&$top=0`, headers)).body) as {
      '@odata.count': number;
    };
    expect(fresh['@odata.count']).toBe(4);
    // $skip and $top over pages of the repeat table.
    const skipped = JSON.parse((await get(`${svc}/Submissions?$skip=1&$top=2`, headers)).body) as {
      value: Array<{ __id: string }>;
      '@odata.nextLink'?: string;
    };
    expect(skipped.value.map((r) => r.__id)).toEqual(ids.slice(1, 3));
    expect(skipped['@odata.nextLink']).toBeUndefined();
    // A page boundary inside one submission's repeat rows: the next page resumes within it.
    const one = { ...headers, prefer: 'odata.maxpagesize=1' };
    const keys: string[] = [];
    let link: string | undefined = `${svc}/Submissions.members`;
    while (link !== undefined) {
      const page = JSON.parse((await get(link, one)).body) as {
        value: Array<{ __id: string }>;
        '@odata.nextLink'?: string;
      };
      keys.push(...page.value.map((r) => r.__id));
      link = page['@odata.nextLink'];
    }
    expect(keys).toEqual([`${ids[0]}/members[1]`, `${ids[0]}/members[2]`]);
  });

  it('gives the analyst no names and only coarse places, and the admin everything, through a feed key', async () => {
    const analyst = await get(`${svc}/Submissions`, { authorization: basic('analyst') });
    expect(analyst.status).toBe(200);
    for (const secret of ['Болд', 'Боржигин', 'УК85032715', '99112233', '47.9181234', '106.9171234', 'Нараа']) {
      expect(analyst.body).not.toContain(secret);
    }
    const members = await get(`${svc}/Submissions.members`, { authorization: basic('analyst') });
    expect(members.body).not.toContain('Нараа');
    expect(JSON.parse(members.body).value).toHaveLength(2);
    // Filtering on a hidden field finds nothing rather than revealing it.
    const probe = await get(`${svc}/Submissions?$filter=${encodeURIComponent("head/head_given_name eq 'Болд'")}`, {
      authorization: basic('analyst'),
    });
    expect(JSON.parse(probe.body).value).toEqual([]);

    // An administrator needs a second factor, so HTTP Basic is refused; a feed key works.
    expect((await get(`${svc}/Submissions`, { authorization: basic('manager') })).status).toBe(401);
    const session = await signIn(app, 'manager', password);
    const made = await app.inject({
      method: 'POST',
      url: '/api/v1/me/feed-keys',
      headers: session.headers,
      payload: { name: 'Power BI' },
    });
    expect(made.statusCode).toBe(201);
    const { id, key } = made.json<{ id: string; key: string }>();
    const admin = await get(`${svc}/Submissions?key=${key}`);
    expect(admin.status).toBe(200);
    expect(admin.body).toContain('Болд');
    expect(admin.body).toContain('47.9181234');
    expect(JSON.parse(admin.body)['@odata.nextLink']).toBeUndefined();
    const revoke = await app.inject({ method: 'DELETE', url: `/api/v1/me/feed-keys/${id}`, headers: session.headers });
    expect(revoke.statusCode).toBe(204);
    expect((await get(`${svc}/Submissions?key=${key}`)).status).toBe(403);
    const audit = await listAuditEvents(0, 1000, store);
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['feed-key.created', 'feed-key.revoked']));
  });

  it('refuses those without exports and those without credentials', async () => {
    expect((await get(`${svc}/Submissions`, { authorization: basic('officer') })).status).toBe(403);
    expect((await get(`${svc}/Submissions`)).status).toBe(401);
    expect((await get(`${svc}/Submissions?key=${'x'.repeat(43)}`)).status).toBe(403);
    expect(
      (
        await get(`/v1/projects/${randomUUID()}/forms/mn_household_registration.svc`, {
          authorization: basic('analyst'),
        })
      ).status,
    ).toBe(404);
  });
});

describe('the OData feed of an entity list', () => {
  it('lists the cases the reader may see, labels hidden from the analyst', async () => {
    const url = `/v1/projects/${projectId}/datasets/cases.svc`;
    const doc = await get(url, { authorization: basic('analyst') });
    expect(JSON.parse(doc.body).value.map((v: { name: string }) => v.name)).toEqual(['Entities']);
    const meta = parseCsdl((await get(`${url}/$metadata`, { authorization: basic('analyst') })).body);
    expect(meta.schema.entityTypes[0]?.entityProperties.map((p) => p.name)).toContain('label');
    const rows = await get(`${url}/Entities?$count=true`, { authorization: basic('analyst') });
    expect(rows.status).toBe(200);
    const body = JSON.parse(rows.body) as { value: Array<{ label: string | null }>; '@odata.count': number };
    expect(body['@odata.count']).toBeGreaterThanOrEqual(3);
    expect(body.value.every((r) => r.label === null)).toBe(true);
    expect(rows.body).not.toContain('Болд');
  });

  it('pages by a cursor that stays consistent while cases are created, changed and deleted', async () => {
    const url = `/v1/projects/${projectId}/datasets/cases.svc/Entities`;
    const headers = { authorization: basic('analyst'), prefer: 'odata.maxpagesize=1' };
    type Page = { value: Array<{ __id: string }>; '@odata.count': number; '@odata.nextLink'?: string };
    const before = (JSON.parse((await get(url, { authorization: basic('analyst') })).body) as Page).value.map(
      (r) => r.__id,
    );
    expect(before.length).toBeGreaterThanOrEqual(3);
    const first = JSON.parse((await get(`${url}?$count=true`, headers)).body) as Page;
    expect(first.value.map((r) => r.__id)).toEqual(before.slice(0, 1));
    // Between pages: the case already sent is deleted, the next one changes, a new one arrives.
    await updateEntity(before[0] ?? '', { deletedAt: new Date().toISOString() }, store);
    await updateEntity(before[1] ?? '', { label: 'Б. Өөрчлөгдсөн' }, store);
    await submit(4, '70000');
    const seen = [...first.value.map((r) => r.__id)];
    let link = first['@odata.nextLink'];
    while (link !== undefined) {
      const page = JSON.parse((await get(link, headers)).body) as Page;
      expect(page['@odata.count']).toBe(before.length);
      seen.push(...page.value.map((r) => r.__id));
      link = page['@odata.nextLink'];
    }
    // Every case of the first page's list exactly once, none skipped by the deletion, no newcomer.
    expect(seen).toEqual(before);
    const fresh = JSON.parse((await get(`${url}?$count=true`, headers)).body) as Page;
    expect(fresh['@odata.count']).toBe(before.length);
    const bad = await get(`${url}?$skiptoken=${Buffer.from('{"v":1}').toString('base64url')}`, headers);
    expect(bad.status).toBe(400);
  });
});
