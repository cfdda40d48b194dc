import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn, TestServer } from '@outpost/test-kit';
import { signIn, startTestServer } from '@outpost/test-kit';
import { publishForm } from '../forms/publishForm.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

// The helpdesk triage assigns a request to an expert (docs/entities.md, "Assignee"): the expert is
// a project member named by username in the `assignee` property; the case list shows their name.

const formsDir = new URL('../../../../templates/helpdesk/forms/', import.meta.url);
const password = 'correct horse battery';

let server: TestServer;
let lead: SignedIn;
let worker: SignedIn;

beforeAll(async () => {
  server = await startTestServer({
    users: [
      { username: 'supervisor', role: 'supervisor' },
      { username: 'fieldworker', role: 'fieldworker' },
      { username: 'fieldworker2', role: 'fieldworker' },
    ],
    password,
  });
  for (const name of ['request', 'triage']) {
    const published = await publishForm(
      {
        projectId: server.projectId,
        fileName: `${name}.xlsx`,
        bytes: readFileSync(new URL(`${name}.xlsx`, formsDir)),
        actorId: null,
      },
      server.store,
    );
    if (!published.ok) throw new Error(published.detail);
  }
  // The list must show a person's name, not a username or an id.
  await server.store.db
    .updateTable('users')
    .set({ display_name: 'Dorj Saruul' })
    .where('username', '=', 'fieldworker2')
    .execute();
  lead = await signIn(server.app, 'supervisor', password);
  worker = await signIn(server.app, 'fieldworker', password);
}, 60_000);

afterAll(async () => {
  await server.close();
});

function request(id: string): string {
  return `<data id="helpdesk_request" version="${templateFormVersion('helpdesk_request')}"><start/><end/>
  <office>MN</office><requester_name>Anu</requester_name><requester_email>anu@example.org</requester_email><requester_unit/>
  <category>maps_gis</category><title>Offline map tiles</title><description>Tiles do not load offline.</description>
  <urgency>normal</urgency><needed_by/><request_status>open</request_status><submitted_on>2026-12-07</submitted_on>
  <meta><instanceID>uuid:${randomUUID()}</instanceID><entity dataset="requests" id="${id}" create="1"><label>Offline map tiles</label></entity></meta>
</data>`;
}

function triage(id: string, baseVersion: number, assignee: string, status: string): string {
  return `<data id="helpdesk_triage" version="${templateFormVersion('helpdesk_triage')}">
  <request_id>${id}</request_id><category>maps_gis</category><urgency>high</urgency>
  <assignee>${assignee}</assignee><request_status>${status}</request_status>
  <meta><instanceID>uuid:${randomUUID()}</instanceID><entity dataset="requests" id="${id}" update="1" baseVersion="${baseVersion}" trunkVersion="" branchId=""/></meta>
</data>`;
}

async function submit(who: SignedIn, xml: string) {
  return server.app.inject({
    method: 'POST',
    url: `/api/v1/projects/${server.projectId}/submissions`,
    headers: { ...who.headers, 'content-type': 'application/xml' },
    payload: xml,
  });
}

async function listed(id: string): Promise<{ status: string; assignee: string | null } | undefined> {
  const res = await server.app.inject({
    method: 'GET',
    url: `/api/v1/projects/${server.projectId}/cases`,
    headers: lead.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res
    .json<{ items: Array<{ id: string; status: string; assignee: string | null }> }>()
    .items.find((i) => i.id === id);
}

describe('the helpdesk triage assigns the request', () => {
  it('to the expert it names, shown by name in the case list; a blank choice keeps them', async () => {
    const id = randomUUID();
    const created = await submit(worker, request(id));
    expect(created.statusCode, created.body).toBe(201);
    expect(await listed(id)).toMatchObject({ status: 'open', assignee: null });

    const triaged = await submit(lead, triage(id, 1, 'fieldworker2', 'in_progress'));
    expect(triaged.statusCode, triaged.body).toBe(201);
    expect(await listed(id)).toMatchObject({ status: 'in_progress', assignee: 'Dorj Saruul' });

    // A later triage that leaves the expert blank changes the status and keeps who works on it.
    expect((await submit(lead, triage(id, 2, '', 'waiting'))).statusCode).toBe(201);
    expect(await listed(id)).toMatchObject({ status: 'waiting', assignee: 'Dorj Saruul' });

    // Someone who is not a member of the project assigns nobody.
    expect((await submit(lead, triage(id, 3, 'nobody.here', 'in_progress'))).statusCode).toBe(201);
    expect(await listed(id)).toMatchObject({ status: 'in_progress', assignee: 'Dorj Saruul' });
  });

  it('only by someone who may assign cases: a field worker cannot hand a request to a colleague', async () => {
    const id = randomUUID();
    const created = await submit(worker, request(id));
    expect(created.statusCode, created.body).toBe(201);
    const refused = await submit(worker, triage(id, 1, 'fieldworker2', 'in_progress'));
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(refused.json<{ code: string }>().code).toMatch(/^(auth|submission|sync)\./);
    expect(await listed(id)).toMatchObject({ status: 'open', assignee: null });
  });
});
