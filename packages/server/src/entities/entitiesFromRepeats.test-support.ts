import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResult } from '@outpost/core';
import { PROTOCOL_VERSION } from '@outpost/core';
import { registerDevice } from '../auth/sessions.js';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { findEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import { findSubmission } from '../storage/queries/submissions.js';
import type { Store } from '../storage/store.js';

// Entities as the current spec has them (2025.1.0), end to end on the server: one submission of
// the test form `household_members` (fixtures/xlsform/outpost) registers the household in the list
// `households` and each household member, from a repeat, as a case of its own in `people`. The
// same scenarios on the three ways a submission arrives: REST, the sync push and OpenRosa.

const fixture = new URL('../../../../fixtures/xlsform/outpost/household_members.xlsx', import.meta.url);
const FORM_VERSION = '2026120701';

export interface Member {
  id: string;
  name: string;
  age: string;
}

/** An instance of `household_members` as a device makes it: one entity block per member. */
export function membersInstance(o: {
  instanceId: string;
  householdId: string;
  household: string;
  village: string;
  members: readonly Member[];
}): string {
  const members = o.members
    .map(
      (m) =>
        `<member><member_name>${m.name}</member_name><age>${m.age}</age><meta><entity dataset="people" id="${m.id}" create="1"><label>${m.name}</label></entity></meta></member>`,
    )
    .join('');
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="household_members" version="${FORM_VERSION}"><hh_name>${o.household}</hh_name><village>${o.village}</village>${members}<meta><instanceID>${o.instanceId}</instanceID><entity dataset="households" id="${o.householdId}" create="1"><label>${o.household}</label></entity></meta></data>`;
}

type Sent =
  | { outcome: 'stored'; entities: Array<{ action: string; list: string; entityId: string }> | null }
  | { outcome: 'refused'; code: string };

export function describeEntitiesFromRepeats(
  dialect: string,
  open: () => Promise<{ store: Store; close: () => Promise<void> }>,
): void {
  let opened: { store: Store; close: () => Promise<void> };
  let store: Store;
  let app: FastifyInstance;
  let projectId: string;
  let token: string;
  let deviceId: string;
  let seq = 0;

  beforeAll(async () => {
    opened = await open();
    store = opened.store;
    projectId = (await createProject({ slug: `members-${randomUUID().slice(0, 8)}`, name: 'Members' }, store)).id;
    const published = await publishForm(
      { projectId, fileName: 'household_members.xlsx', bytes: readFileSync(fixture), actorId: null },
      store,
    );
    if (!published.ok) throw new Error(`publishing failed: ${JSON.stringify(published)}`);
    const user = await addUser(
      {
        username: `saraa-${randomUUID().slice(0, 8)}`,
        displayName: 'Saraa',
        role: 'fieldworker',
        password: 'correct horse battery',
      },
      null,
      { now: () => new Date() },
      store,
    );
    if (!user.ok) throw new Error(user.detail);
    await addMembership({ userId: user.user.id, projectId, roleId: 'fieldworker' }, store);
    const device = await registerDevice({ userId: user.user.id, name: 'tablet' }, { now: () => new Date() }, store);
    token = device.token;
    deviceId = device.deviceId;
    app = await buildApp({ store, settings: defaultSettings });
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await opened.close();
  });

  const rest = async (xml: string): Promise<Sent> => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/submissions`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      payload: xml,
    });
    if (res.statusCode >= 400) return { outcome: 'refused', code: res.json<{ code: string }>().code };
    return {
      outcome: 'stored',
      entities: res.json<{ entities: Array<{ action: string; list: string; entityId: string }> }>().entities,
    };
  };

  const push = async (xml: string): Promise<Sent> => {
    seq += 1;
    const instanceId = /<instanceID>([^<]+)</.exec(xml)?.[1] ?? '';
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        protocol: PROTOCOL_VERSION,
        deviceId,
        fromSeq: seq,
        throughSeq: seq,
        items: [
          {
            seq,
            instanceId,
            projectId,
            formId: 'household_members',
            formVersion: FORM_VERSION,
            xml,
            createdAt: '2026-12-07T10:00:00Z',
            attachments: [],
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [result] = res.json<PushResult>().results;
    if (result === undefined) throw new Error(res.body);
    if (result.outcome === 'rejected') return { outcome: 'refused', code: result.code };
    // A retry of a stored instance is answered 'duplicate'; both mean the server has it.
    expect(['accepted', 'duplicate']).toContain(result.outcome);
    return { outcome: 'stored', entities: null };
  };

  const openRosa = async (xml: string): Promise<Sent> => {
    const boundary = `----outpost${randomUUID()}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="xml_submission_file"; filename="submission.xml"\r\nContent-Type: text/xml\r\n\r\n`,
      ),
      Buffer.from(xml),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.inject({
      method: 'POST',
      url: `/v1/key/${token}/projects/${projectId}/submission`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-openrosa-version': '1.0' },
      payload,
    });
    if (res.statusCode >= 400) return { outcome: 'refused', code: res.json<{ code: string }>().code };
    expect(res.statusCode, res.body).toBe(201);
    return { outcome: 'stored', entities: null };
  };

  const paths: Array<[string, () => (xml: string) => Promise<Sent>]> = [
    ['REST submission', () => rest],
    ['sync push', () => push],
    ['OpenRosa submission', () => openRosa],
  ];

  describe.each(paths)(`entities from repeats and several lists (${dialect}, %s)`, (_, sendOn) => {
    const household = () => ({
      instanceId: `uuid:${randomUUID()}`,
      householdId: randomUUID(),
      household: 'Dorj household',
      village: 'Bayan',
      members: [
        { id: randomUUID(), name: 'Dorj', age: '44' },
        { id: randomUUID(), name: 'Oyun', age: '41' },
        { id: randomUUID(), name: 'Tsetseg', age: '12' },
      ],
    });

    it('one submission registers the household and each member as a case of its own', async () => {
      const h = household();
      const sent = await sendOn()(membersInstance(h));
      expect(sent.outcome).toBe('stored');
      const home = await findEntity(h.householdId, store);
      expect(home).toMatchObject({
        label: 'Dorj household',
        properties: { hh_name: 'Dorj household', village: 'Bayan' },
      });
      for (const m of h.members) {
        expect(await findEntity(m.id, store)).toMatchObject({
          label: m.name,
          version: 1,
          properties: { full_name: m.name, age: m.age },
        });
      }
      const lists = await store.db
        .selectFrom('entities')
        .innerJoin('entity_lists', 'entity_lists.id', 'entities.list_id')
        .select(['entities.id', 'entity_lists.name'])
        .where('entities.id', 'in', [h.householdId, ...h.members.map((m) => m.id)])
        .execute();
      expect(Object.fromEntries(lists.map((l) => [l.id, l.name]))).toEqual({
        [h.householdId]: 'households',
        ...Object.fromEntries(h.members.map((m) => [m.id, 'people'])),
      });
      if (sent.outcome === 'stored' && sent.entities !== null) {
        expect(sent.entities.map((e) => [e.action, e.list, e.entityId])).toEqual([
          ['created', 'households', h.householdId],
          ...h.members.map((m) => ['created', 'people', m.id]),
        ]);
      }
      // Sent again (a retry), nothing more is made and the answer is the same.
      const again = await sendOn()(membersInstance(h));
      expect(again).toEqual(sent.outcome === 'stored' && sent.entities === null ? again : sent);
      const versions = await store.db
        .selectFrom('entity_versions')
        .select('entity_id')
        .where('submission_id', '=', h.instanceId)
        .execute();
      expect(versions).toHaveLength(4);
    }, 60_000);

    it('a member whose id is taken refuses the whole submission: no household, no member, no submission', async () => {
      const first = household();
      expect((await sendOn()(membersInstance(first))).outcome).toBe('stored');
      const second = household();
      const taken = { ...second, members: [second.members[0] as Member, { ...(first.members[1] as Member) }] };
      expect(await sendOn()(membersInstance(taken))).toEqual({ outcome: 'refused', code: 'entity.exists' });
      expect(await findSubmission(second.instanceId, store)).toBeUndefined();
      expect(await findEntity(second.householdId, store)).toBeUndefined();
      expect(await findEntity(second.members[0]?.id as string, store)).toBeUndefined();
    }, 60_000);

    it('a household without members registers only the household', async () => {
      const h = { ...household(), members: [] };
      expect((await sendOn()(membersInstance(h))).outcome).toBe('stored');
      expect(await findEntity(h.householdId, store)).toMatchObject({ label: 'Dorj household' });
    }, 60_000);
  });
}
