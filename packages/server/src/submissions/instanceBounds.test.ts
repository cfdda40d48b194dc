import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PushResult } from '@outpost/core';
import { PROTOCOL_VERSION } from '@outpost/core';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { registerDevice } from '../auth/sessions.js';
import { addUser } from '../auth/users.js';
import { checkInstanceShape } from '../forms/formEngine.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import type { XmlNode } from '@outpost/core';
import { XmlLimitError, parseXml } from '@outpost/core';
import { householdInstance } from './householdInstance.test-support.js';
import { instanceLimits, projectInstance, readInstance } from './readInstance.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

// Issue 9, point 3: an instance with many elements costs one pass, and what its form does not
// define is refused before the ODK engine sees it.
const password = 'correct horse battery';
const registration = readFileSync(
  new URL('../../../../templates/mongolia-social-protection/forms/household_registration.xlsx', import.meta.url),
);

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
let xform: string;
let bolor: SignedIn;
let deviceToken: string;
let deviceId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-instance-bounds-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  projectId = (await createProject({ slug: 'bz', name: 'Bayanzürkh' }, store)).id;
  const added = await addUser(
    { username: 'bolor', displayName: 'Bolor', role: 'fieldworker', password },
    null,
    { now: () => new Date() },
    store,
  );
  if (!added.ok) throw new Error(added.detail);
  await addMembership({ userId: added.user.id, projectId, roleId: 'fieldworker' }, store);
  const published = await publishForm(
    { projectId, fileName: 'household_registration.xlsx', bytes: new Uint8Array(registration), actorId: null },
    store,
  );
  if (!published.ok) throw new Error(published.detail);
  xform = (await store.db.selectFrom('form_versions').select('xform').executeTakeFirstOrThrow()).xform;
  app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
  bolor = await signIn(app, 'bolor', password);
  const registered = await registerDevice({ userId: added.user.id, name: 'tablet' }, { now: () => new Date() }, store);
  deviceToken = registered.token;
  deviceId = registered.deviceId;
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A valid household registration with `extra` inserted as children of the root. */
function withChildren(extra: string): { xml: string; instanceId: string } {
  const instanceId = `uuid:${randomUUID()}`;
  const xml = householdInstance({ instanceId, entityId: randomUUID() }).replace('<consent>', `${extra}<consent>`);
  return { xml, instanceId };
}

const empties = (n: number, name = 'x') => `<${name}/>`.repeat(n);

async function viaRest(xml: string): Promise<{ status: number; code: string; field?: string }> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/submissions`,
    headers: { ...bolor.headers, 'content-type': 'application/xml' },
    payload: xml,
  });
  return { status: res.statusCode, ...res.json<{ code: string; field?: string }>() };
}

async function viaPush(xml: string, instanceId: string): Promise<PushResult['results'][number]> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/sync/push',
    headers: { authorization: `Bearer ${deviceToken}` },
    payload: {
      protocol: PROTOCOL_VERSION,
      deviceId,
      fromSeq: 1,
      throughSeq: 1,
      items: [
        {
          seq: 1,
          instanceId,
          projectId,
          formId: 'mn_household_registration',
          formVersion: templateFormVersion('mn_household_registration'),
          xml,
          createdAt: '2026-03-05T10:15:00.000+08:00',
          attachments: [],
        },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  const result = res.json<PushResult>().results[0];
  if (result === undefined) throw new Error('no result');
  return result;
}

async function submissionsStored(): Promise<number> {
  const row = await store.db
    .selectFrom('submissions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('submissions with many elements', () => {
  it.each([16_000, 60_000])(
    'refuses %i empty child elements with 413 on the REST and push paths, storing nothing',
    async (n) => {
      const before = await submissionsStored();
      const rest = withChildren(empties(n));
      expect(await viaRest(rest.xml)).toMatchObject({ status: 413, code: 'submission.too-many-elements' });
      const pushed = withChildren(empties(n));
      expect(await viaPush(pushed.xml, pushed.instanceId)).toMatchObject({
        outcome: 'rejected',
        code: 'submission.too-many-elements',
      });
      expect(await submissionsStored()).toBe(before);
    },
  );

  it('refuses elements the form does not define, naming the first, on both paths', async () => {
    const before = await submissionsStored();
    const rest = withChildren(empties(1_000, 'smuggled'));
    expect(await viaRest(rest.xml)).toMatchObject({
      status: 422,
      code: 'submission.unknown-element',
      field: '/data/smuggled[1]',
    });
    const nested = withChildren('').xml.replace('<head_dob>', '<head_dob_extra>1</head_dob_extra><head_dob>');
    expect(await viaRest(nested)).toMatchObject({ status: 422, field: '/data/head/head_dob_extra' });
    const pushed = withChildren('<smuggled>1</smuggled>');
    expect(await viaPush(pushed.xml, pushed.instanceId)).toMatchObject({
      outcome: 'rejected',
      code: 'submission.unknown-element',
    });
    expect(await submissionsStored()).toBe(before);
    // What the device adds under meta is its own, and a valid instance is still stored.
    const ok = withChildren('').xml.replace(
      '<meta>',
      '<meta><deviceID>collect:7f3a</deviceID><audit>audit.csv</audit>',
    );
    expect((await viaRest(ok)).status).toBe(201);
  });

  it('refuses elements nested deeper than the limit', async () => {
    const depth = instanceLimits.maxDepth + 5;
    const { xml } = withChildren(`${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`);
    expect(await viaRest(xml)).toMatchObject({ status: 413, code: 'submission.too-many-elements' });
  });
});

describe('one pass over an instance', () => {
  it('parses without copying the rest of the document at each element', () => {
    const n = 60_000;
    const xml = `<data id="f">${empties(n)}<meta><instanceID>uuid:1</instanceID></meta></data>`;
    const slice = vi.spyOn(String.prototype, 'slice');
    let copied = 0;
    slice.mockImplementation(function (this: string, start?: number, end?: number) {
      const out = String.prototype.substring.call(this, ...sliceBounds(this.length, start, end));
      copied += out.length;
      return out;
    });
    try {
      parseXml(xml);
    } finally {
      slice.mockRestore();
    }
    // The old parser copied the remaining text for every element: n * length / 2 characters.
    expect(copied).toBeLessThan(2 * xml.length);
  });

  it('stops reading at the element limit', () => {
    const xml = `<data id="f">${empties(60_000)}</data>`;
    expect(() => parseXml(xml, instanceLimits)).toThrow(XmlLimitError);
    expect(readInstance(xml)).toMatchObject({ ok: false, code: 'submission.too-many-elements' });
  });

  it('checks the shape and projects the instance reading each element a bounded number of times', () => {
    // Defined elements, repeated: as many household members as the element limit allows.
    const many = withMembers(150);
    const read = readInstance(many);
    if (!read.ok) throw new Error(read.detail);
    const elements = countingNames(read.instance.root);
    expect(elements.count).toBeGreaterThan(1_500);
    expect(checkInstanceShape(xform, read.instance.root)).toBeNull();
    projectInstance(read.instance.root, new Set(['/data/members']));
    // A filter over the siblings for each sibling reads over 150 * 150 names at the root alone;
    // one pass reads a handful per element in each of the two walks.
    expect(elements.reads()).toBeLessThan(20 * elements.count);
  });

  it('refuses a second copy of an element that is not a repeat', () => {
    const { xml } = withChildren('');
    const block = /<address>[\s\S]*?<\/address>/.exec(xml)?.[0] ?? '';
    const read = readInstance(xml.replace(block, block.repeat(2)));
    if (!read.ok) throw new Error(read.detail);
    expect(checkInstanceShape(xform, read.instance.root)).toMatchObject({
      code: 'submission.unknown-element',
      field: '/data/address[2]',
    });
  });
});

/** A valid registration with `n` household members, each filled as the form's template has it. */
function withMembers(n: number): string {
  const template = /<members jr:template="">([\s\S]*?)<\/members>/.exec(xform)?.[1];
  if (template === undefined) throw new Error('the registration form has no members repeat');
  const { xml } = withChildren('');
  return xml.replace('<household_size>', `${`<members>${template}</members>`.repeat(n)}<household_size>`);
}

function sliceBounds(length: number, start = 0, end = length): [number, number] {
  const clamp = (i: number) => (i < 0 ? Math.max(length + i, 0) : Math.min(i, length));
  return [clamp(start), clamp(end)];
}

/** Replaces each element's localName with a getter that counts reads. */
function countingNames(root: XmlNode): { count: number; reads: () => number } {
  let reads = 0;
  let count = 0;
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as XmlNode;
    count += 1;
    const name = node.localName;
    Object.defineProperty(node, 'localName', {
      get: () => {
        reads += 1;
        return name;
      },
    });
    for (const c of node.children) if (typeof c !== 'string') stack.push(c);
  }
  return { count, reads: () => reads };
}
