import type { PushItemResult, PushRequest } from '@outpost/core';
import { transportWith } from '../transport/transportWith.test-support.js';
import type { FetchLike } from '../transport/createTransport.js';
import { createIndexedDbStore } from '../store/indexedDbStore.js';
import type { LocalStore } from '../store/LocalStore.js';
import { saveRecord } from '../store/saveRecord.js';
import { createHttpSyncApi } from './createHttpSyncApi.js';
import { createSyncEngine } from './createSyncEngine.js';
import type { SyncEngine } from './createSyncEngine.js';
import { submissionFor } from './submissionFor.js';

// A tablet as the PWA runs it, for tests against a real server: the IndexedDB device store (load
// 'fake-indexeddb/auto' first), saveRecord for what the worker saves, the sync engine over the HTTP
// client, and between them and the server a network whose deliveries a test decides.

/** How the network delivers the next push request of a device: order, losses, a backlog run. */
export interface Delivery {
  /** One sort key per item (by index, repeating): items go to the server in key order. */
  readonly order: readonly number[];
  /** Per item (by index, repeating): the item never reaches the server this time. */
  readonly lose: readonly boolean[];
  /** Before the item delivered at this position, the server's backlog is forced (-1: never). */
  readonly forceAt: number;
}

export const inOrder: Delivery = { order: [0], lose: [false], forceAt: -1 };

/** What the server answered to each item the network delivered, by instanceId. */
export type Outcomes = Map<string, PushItemResult[]>;

export interface FieldDevice {
  readonly name: string;
  readonly store: LocalStore;
  readonly engine: SyncEngine;
  /** Saves a finalized form (record + outbox in one transaction), offline. */
  save(form: { formId: string; formVersion: string; instanceId: string; xml: string; xform: string }): Promise<void>;
  /**
   * Syncs once; the first push request goes out as `delivery` says (each item alone, reordered,
   * some lost, with the backlog forced in between); a further push request in the same sync is lost
   * (the network went away), so the sync ends and what was lost waits for the next one.
   */
  sync(delivery: Delivery): Promise<void>;
}

export interface DeviceOptions {
  readonly name: string;
  readonly baseUrl: string;
  readonly projectId: string;
  readonly token: string;
  readonly serverDeviceId: string;
  /** The server's backlog forced now (`outpost entities process-backlog --force`). */
  readonly forceBacklog: () => Promise<void>;
  readonly outcomes: Outcomes;
  readonly random: () => number;
}

export function createFieldDevice(options: DeviceOptions): FieldDevice {
  const store = createIndexedDbStore(`device-${options.name}-${crypto.randomUUID()}`);
  let plan: Delivery | null = null;

  const network: FetchLike = async (url, init) => {
    if (!url.endsWith('/sync/push')) return fetch(url, init);
    // The client sends uncompressed bytes here (compress: false).
    const text = init.body instanceof Uint8Array ? new TextDecoder().decode(init.body) : '';
    const request = JSON.parse(text) as PushRequest;
    const delivery = plan;
    plan = null;
    const items = request.items.map((item, index) => ({ item, index }));
    const key = (index: number, list: readonly number[]): number => list[index % list.length] ?? 0;
    const sorted =
      delivery === null
        ? []
        : [...items].sort((a, b) => key(a.index, delivery.order) - key(b.index, delivery.order) || a.index - b.index);
    const results = new Map<number, PushItemResult>();
    for (const [position, { item, index }] of sorted.entries()) {
      if (delivery?.forceAt === position) await options.forceBacklog();
      if (delivery?.lose[index % delivery.lose.length] === true) continue;
      const single = { ...request, fromSeq: item.seq, throughSeq: item.seq, items: [item] };
      const response = await fetch(url, { ...init, body: JSON.stringify(single) });
      if (!response.ok) return response;
      const body = (await response.json()) as { ackedThrough: number; results: PushItemResult[] };
      const result = body.results[0];
      if (body.ackedThrough !== item.seq || result === undefined) continue;
      results.set(item.seq, result);
      options.outcomes.set(item.instanceId, [...(options.outcomes.get(item.instanceId) ?? []), result]);
    }
    // What the device hears: an outcome for every item up to the first one without an answer.
    const acked: PushItemResult[] = [];
    for (const item of request.items) {
      const result = results.get(item.seq);
      if (result === undefined) break;
      acked.push(result);
    }
    const answer = { ackedThrough: acked.at(-1)?.seq ?? 0, results: acked };
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };

  const engine = createSyncEngine({
    store,
    api: createHttpSyncApi({
      transport: transportWith({
        credentials: async () => ({ authorization: `Bearer ${options.token}` }),
        fetch: network,
        baseUrl: `${options.baseUrl}/api/v1`,
      }),
      compress: false,
    }),
    clock: { now: () => Date.now(), setTimeout: () => null, clearTimeout: () => undefined },
    random: options.random,
    network: { isOnline: () => true, subscribe: () => () => undefined },
    deviceId: async () => options.serverDeviceId,
  });

  return {
    name: options.name,
    store,
    engine,
    async save(form) {
      const { item, record } = submissionFor({ ...form, projectId: options.projectId, attachments: [] }, new Date());
      await saveRecord(store, record, item);
    },
    async sync(delivery) {
      plan = delivery;
      await engine.syncNow();
    },
  };
}

/** Signs a field worker in on a new tablet, as the PWA does: the server registers the device. */
export async function signInDevice(
  baseUrl: string,
  username: string,
  password: string,
  deviceName: string,
): Promise<{ token: string; deviceId: string; userId: string }> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, device: { name: deviceName } }),
  });
  if (!response.ok) throw new Error(`login of ${username} failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string }; device?: { id: string; token: string } };
  if (body.device === undefined) throw new Error('the server registered no device');
  return { token: body.device.token, deviceId: body.device.id, userId: body.user.id };
}

/** A household registration as the Mongolia form saves it: it creates the case, labelled or not. */
export function registrationXml(a: { version: string; instanceId: string; caseId: string; label: string }): string {
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_household_registration" version="${a.version}">
  <start>2026-03-01T09:00:00.000+08:00</start><end>2026-03-01T09:20:00.000+08:00</end><today>2026-03-01</today><username>bolor</username>
  <consent>yes</consent>
  <head><head_family_name>Боржигин</head_family_name><head_fathers_name>Батын</head_fathers_name><head_given_name>Болд</head_given_name>
    <head_register_number>УК85032715</head_register_number><head_dob>1985-03-27</head_dob><head_age>40</head_age><head_age_note/>
    <head_sex>male</head_sex><head_phone>99112233</head_phone></head>
  <address><aimag>MN11</aimag><soum>MN1110</soum><bag>MN111051</bag><address_detail>12-р байр</address_detail><dwelling_type/><location/></address>
  <household_size>1</household_size><children_count>0</children_count><elderly_count>0</elderly_count>
  <situation><vulnerability/><needs>food</needs><monthly_income>450000</monthly_income><notes/></situation>
  <registration_date>2026-03-01</registration_date><case_status>open</case_status>
  <meta><instanceID>${a.instanceId}</instanceID><instanceName>Б. Болд</instanceName>
    <entity dataset="cases" id="${a.caseId}" create="1"><label>${a.label}</label></entity></meta>
</data>`;
}

/**
 * A visit as the Mongolia visit form saves it: the case picked from the device's list, the base
 * version the form read from it (the device's store replaces it with the branch's), the answers.
 */
export function visitXml(a: {
  version: string;
  instanceId: string;
  caseId: string;
  baseVersion: number;
  needs: string;
  nextVisit: string;
}): string {
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_visit" version="${a.version}">
  <start>2026-03-05T10:00:00.000+08:00</start><end>2026-03-05T10:15:00.000+08:00</end><today>2026-03-05</today><username>bolor</username>
  <case_id>${a.caseId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <visit_location/><observations/><needs>${a.needs}</needs><next_visit_date>${a.nextVisit}</next_visit_date><case_status>in_progress</case_status>
  <meta><instanceID>${a.instanceId}</instanceID>
    <entity dataset="cases" id="${a.caseId}" update="1" baseVersion="${a.baseVersion}" trunkVersion="" branchId=""/></meta>
</data>`;
}
