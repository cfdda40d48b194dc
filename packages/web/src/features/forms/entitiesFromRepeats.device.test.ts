// A household and its members registered on the device with one form (entities in a repeat, two
import { transportWith } from '../../transport/transportWith.test-support.js';
// entity lists): the member cases show at once, the submission syncs to a real server, which
// makes a case per member, and the device then holds them as synced records. It runs under Node
// rather than jsdom, so that the server's compile and check workers start (jsdom's URL is not
// Node's); the form engine gets its DOM the way the server gives it one (installEngineGlobals).
import { readFileSync } from 'node:fs';
import type { InputNode } from '@getodk/xforms-engine';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installEngineGlobals, publishTestForm, signIn, startTestServer, type TestServer } from '@outpost/test-kit';
import { createMemoryApi } from '../../api/createMemoryApi.js';
import { createDraftStore } from '../../forms/drafts.js';
import type { FormNode } from '../../forms/engineTypes.js';
import { findNode, type OpenedForm } from '../../forms/openForm.js';
import { createMemoryStore } from '../../store/memoryStore.js';
import { saveRecord } from '../../store/saveRecord.js';
import { createHttpSyncApi } from '../../sync/createHttpSyncApi.js';
import { createSyncEngine } from '../../sync/createSyncEngine.js';
import { listDeviceRecords } from '../../sync/listDeviceRecords.js';
import { submissionFor } from '../../sync/submissionFor.js';
import { createFormFill } from './createFormFill.js';

const password = 'correct horse battery';
const fixture = new URL('../../../../../fixtures/xlsform/outpost/household_members.xlsx', import.meta.url);
const form = { formId: 'household_members', version: '2026120701', title: 'Household and members' };

let server: TestServer;
let xform: string;
let fieldworker: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer({ users: [{ username: 'saraa', role: 'fieldworker' }], password });
  await publishTestForm(server, 'household_members.xlsx', readFileSync(fixture));
  fieldworker = (await signIn(server.app, 'saraa', password)).headers;
  const xml = await server.app.inject({
    method: 'GET',
    url: `/api/v1/projects/${server.projectId}/forms/${form.formId}/versions/${form.version}/form.xml`,
    headers: fieldworker,
  });
  if (xml.statusCode !== 200) throw new Error(xml.body);
  xform = xml.body;
  await installEngineGlobals();
}, 300_000);

afterAll(async () => {
  await server.close();
});

function node(opened: OpenedForm, reference: string): FormNode {
  const found = findNode(opened.root, (n) => n.currentState.reference === reference);
  if (!found) throw new Error(`no question ${reference}`);
  return found;
}

describe('a household with its members registered on the device', () => {
  it('shows each member as a case at once, syncs, and the server makes a case per member', async () => {
    const api = createMemoryApi({
      accounts: [{ user: { id: 'u1', username: 'saraa', displayName: 'Saraa', role: 'fieldworker' }, password }],
      projects: [{ id: server.projectId, slug: 'field', name: 'Field', role: 'fieldworker' }],
      cases: { [server.projectId]: [] },
      forms: { [server.projectId]: [{ summary: form, xml: xform }] },
    });
    await api.login('saraa', password);
    const drafts = createDraftStore({ name: `drafts-${Math.random()}`, indexedDB: new IDBFactory(), IDBKeyRange });
    const store = createMemoryStore();
    const model = createFormFill(
      {
        api,
        drafts,
        saveLocally: async (filled) => {
          const { item, record, others } = submissionFor(
            { ...filled, formVersion: filled.version, attachments: [], xform },
            new Date('2026-12-07T08:00:00Z'),
          );
          return saveRecord(store, record, item, { others });
        },
      },
      { projectId: server.projectId, formId: form.formId, version: form.version },
    );
    await model.load();
    const opened = model.form();
    if (!opened) throw new Error(`not open: ${String(model.loadError())}`);
    (node(opened, '/data/hh_name') as InputNode).setValue('Dorj household');
    (node(opened, '/data/village') as InputNode).setValue('Bayan');
    const members = node(opened, '/data/member');
    if (members.nodeType !== 'repeat-range:uncontrolled') throw new Error('member is not a repeat');
    members.addInstances();
    const names = ['Dorj', 'Oyun'];
    names.forEach((name, i) => {
      (node(opened, `/data/member[${i + 1}]/member_name`) as InputNode).setValue(name);
      (node(opened, `/data/member[${i + 1}]/age`) as InputNode).setValue(String(40 + i));
    });

    expect(await model.finalize()).toEqual({ kind: 'saved', seq: 1 });

    // Before any sync: the household and both members are on the device, waiting to be sent.
    const before = await listDeviceRecords(store);
    expect(before.map((r) => [r.list, r.label, r.state]).sort()).toEqual([
      ['households', 'Dorj household', 'pending'],
      ['people', 'Dorj', 'pending'],
      ['people', 'Oyun', 'pending'],
    ]);
    const memberIds = before.filter((r) => r.list === 'people').map((r) => r.id);
    expect(new Set(memberIds).size).toBe(2);

    const engine = createSyncEngine({
      store,
      api: createHttpSyncApi({
        transport: transportWith({
          baseUrl: `${server.url}/api/v1`,
          credentials: async () => fieldworker,
        }),
        compress: false,
      }),
      clock: {
        now: () => Date.now(),
        setTimeout: (f, ms) => setTimeout(f, ms),
        clearTimeout: (h) => clearTimeout(h as never),
      },
      random: () => 0.5,
      deviceId: async () => 'tablet-1',
      wipe: async () => undefined,
    });
    try {
      await engine.syncNow();
    } finally {
      engine.stop();
    }

    // The server made a case per member, with the member's own answers.
    const made = await server.store.db
      .selectFrom('entities')
      .innerJoin('entity_lists', 'entity_lists.id', 'entities.list_id')
      .select(['entities.id', 'entities.label', 'entity_lists.name'])
      .execute();
    expect(made.map((e) => [e.name, e.label]).sort()).toEqual([
      ['households', 'Dorj household'],
      ['people', 'Dorj'],
      ['people', 'Oyun'],
    ]);
    expect(
      made
        .filter((e) => e.name === 'people')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...memberIds].sort());

    // And the device holds them as the server has them: nothing waits any more.
    const after = await listDeviceRecords(store);
    expect(after.map((r) => [r.list, r.label, r.state]).sort()).toEqual([
      ['households', 'Dorj household', 'synced'],
      ['people', 'Dorj', 'synced'],
      ['people', 'Oyun', 'synced'],
    ]);
    expect(after.find((r) => r.label === 'Oyun')?.properties).toMatchObject({ full_name: 'Oyun', age: '41' });
  }, 120_000);
});
