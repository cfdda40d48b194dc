import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { addUser } from '../auth/users.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { listAuditEvents } from '../storage/queries/audit.js';
import { findEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { BAYANZURKH_AREAS } from '../sync/bayanzurkh.test-support.js';
import { householdInstance } from './householdInstance.test-support.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

// Review and cleaning (issue 12) and submission edits (issue 10 point 6, issue 13 deprecatedID)
// through the API, as a supervisor, an analyst and field workers meet them. Run on SQLite and
// PostgreSQL.

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const password = 'correct horse battery staple';
const FORM = 'mn_household_registration';

function visit(v: { instanceId: string; entityId: string; baseVersion: number; needs: string; deprecatedId?: string }) {
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_visit" version="${templateFormVersion('mn_visit')}">
  <start/><end/><today>2026-03-05</today><username>bolor</username>
  <case_id>${v.entityId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <visit_location/><observations/><needs>${v.needs}</needs><next_visit_date>2026-04-05</next_visit_date><case_status>in_progress</case_status>
  <meta><instanceID>${v.instanceId}</instanceID>${v.deprecatedId === undefined ? '' : `<deprecatedID>${v.deprecatedId}</deprecatedID>`}
    <entity dataset="cases" id="${v.entityId}" update="1" baseVersion="${v.baseVersion}" trunkVersion="" branchId=""/></meta>
</data>`;
}

type View = {
  instanceId: string;
  reviewState: string | null;
  deprecatedId: string | null;
  submitter: string | null;
  data: Record<string, unknown>;
};

export function describeSubmissionReview(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>) {
  describe(`submission review and edits (${name})`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let app: FastifyInstance;
    let projectId = '';
    const who: Record<string, SignedIn> = {};
    const h1 = `uuid:${randomUUID()}`;
    const h2 = `uuid:${randomUUID()}`;
    const k1 = randomUUID();
    const k2 = randomUUID();

    beforeAll(async () => {
      const opened = await open();
      store = opened.store;
      close = () => opened.close();
      app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 100_000 } });
      const project = await createProject({ slug: `review-${randomUUID()}`, name: 'Review' }, store);
      projectId = project.id;
      const areas = await upsertAreas(projectId, '2024', BAYANZURKH_AREAS, store);
      const areaId = (code: string) => areas.find((a) => a.code === code)?.id ?? null;
      for (const [username, role, area] of [
        ['r-admin', 'admin', undefined],
        ['r-sup2', 'supervisor', areaId('MN111052')],
        ['r-fw1', 'fieldworker', areaId('MN111051')],
        ['r-analyst', 'analyst', null],
      ] as const) {
        const r = await addUser(
          { username, displayName: `${username} name`, role, password },
          null,
          { now: () => new Date() },
          store,
        );
        if (!r.ok) throw new Error(r.detail);
        if (area !== undefined)
          await addMembership({ userId: r.user.id, projectId, roleId: role, areaId: area }, store);
        who[username] = await signIn(app, username, password);
      }
      for (const form of ['household_registration', 'visit']) {
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/projects/${projectId}/forms`,
          headers: { ...who['r-admin']?.headers, 'content-type': XLSX },
          payload: readFileSync(new URL(`${form}.xlsx`, formsDir)),
        });
        if (res.statusCode !== 201) throw new Error(`publish ${form}: ${res.body}`);
      }
      for (const [instanceId, entityId, given] of [
        [h1, k1, 'Болд'],
        [h2, k2, 'Дорж'],
      ] as const) {
        const res = await submit('r-fw1', householdInstance({ instanceId, entityId, given }));
        if (res.statusCode !== 201) throw new Error(`submit: ${res.body}`);
      }
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await close();
    });

    const submit = (user: string, xml: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/projects/${projectId}/submissions`,
        headers: { ...who[user]?.headers, 'content-type': 'application/xml' },
        payload: xml,
      });
    const base = () => `/api/v1/projects/${projectId}/forms/${FORM}/submissions`;
    const get = (user: string, url: string) =>
      app.inject({ method: 'GET', url, headers: { cookie: who[user]?.cookie ?? '' } });
    const send = (
      user: string,
      method: 'PATCH' | 'POST',
      url: string,
      payload: unknown,
    ): Promise<LightMyRequestResponse> =>
      app.inject({ method, url, headers: who[user]?.headers ?? {}, payload: payload as Record<string, unknown> });
    const list = async (user: string, query = '') => {
      const res = await get(user, `${base()}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: View[]; total: number }>();
    };

    it('lists a form’s submissions as received, sets a review state with a comment, filters by it, audited', async () => {
      const all = await list('r-admin');
      expect(all.total).toBe(2);
      expect(all.items.map((i) => i.reviewState)).toEqual([null, null]);

      const patched = await send('r-admin', 'PATCH', `${base()}/${h1}`, { reviewState: 'hasIssues' });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json<View>().reviewState).toBe('hasIssues');
      const commented = await send('r-admin', 'POST', `${base()}/${h1}/comments`, { body: 'Телефон дугаар дутуу' });
      expect(commented.statusCode, commented.body).toBe(201);

      expect((await list('r-admin', '?reviewState=hasIssues')).items.map((i) => i.instanceId)).toEqual([h1]);
      expect((await list('r-admin', '?reviewState=received')).items.map((i) => i.instanceId)).toEqual([h2]);
      expect((await list('r-admin', '?reviewState=approved,rejected')).total).toBe(0);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      expect((await list('r-admin', `?from=${encodeURIComponent(future)}`)).total).toBe(0);

      const comments = await get('r-admin', `${base()}/${h1}/comments`);
      expect(comments.json()).toMatchObject([{ body: 'Телефон дугаар дутуу', author: 'r-admin name' }]);

      const events = await listAuditEvents(0, 10_000, store);
      expect(events.find((e) => e.action === 'submission.review' && e.subject === h1)?.details).toMatchObject({
        from: null,
        to: 'hasIssues',
      });
      // The audit trail holds the comment's id, never its text.
      const comment = events.find((e) => e.action === 'submission.comment' && e.subject === h1);
      expect(JSON.stringify(comment)).not.toContain('Телефон');
    });

    it('refuses a state that is not one, and review by who may not review or cannot see', async () => {
      const bad = await send('r-admin', 'PATCH', `${base()}/${h2}`, { reviewState: 'edited' });
      expect(bad.statusCode).toBe(400);
      expect((await get('r-admin', `${base()}?reviewState=done`)).json()).toMatchObject({
        code: 'submission.review-state-invalid',
      });
      // A field worker reads her own submissions but does not review them.
      expect((await get('r-fw1', `${base()}/${h2}`)).statusCode).toBe(200);
      expect((await send('r-fw1', 'PATCH', `${base()}/${h2}`, { reviewState: 'approved' })).statusCode).toBe(403);
      // The supervisor of khoroo 2 neither sees nor reviews khoroo 1's submissions.
      expect((await list('r-sup2')).total).toBe(0);
      expect((await get('r-sup2', `${base()}/${h2}`)).statusCode).toBe(404);
      expect((await send('r-sup2', 'PATCH', `${base()}/${h2}`, { reviewState: 'approved' })).statusCode).toBe(404);
      expect(
        (await send('r-sup2', 'POST', `${base()}/review`, { instanceIds: [h2], reviewState: 'approved' })).statusCode,
      ).toBe(404);
      expect((await list('r-admin', '?reviewState=received')).items.map((i) => i.instanceId)).toEqual([h2]);
    });

    it('shows the analyst the submissions without names or who sent them, and lets her review', async () => {
      const res = await get('r-analyst', `${base()}/${h2}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('Дорж');
      expect(res.body).not.toContain('r-fw1 name');
      expect(res.json<{ submission: View }>().submission.submitter).toBeNull();
      // Filtering by khoroo would tell her where a household lives.
      const area = await store.db
        .selectFrom('areas')
        .select('id')
        .where('code', '=', 'MN111051')
        .executeTakeFirstOrThrow();
      expect((await get('r-analyst', `${base()}?area=${area.id}`)).statusCode).toBe(403);
      expect((await list('r-admin', `?area=${area.id}`)).total).toBe(2);
      const commented = await send('r-analyst', 'POST', `${base()}/${h2}/comments`, { body: 'checked' });
      expect(commented.statusCode).toBe(201);
    });

    it('takes an edit (deprecatedID) as a new version: the original stays readable, the diff is shown, state "edited"', async () => {
      const e1 = `uuid:${randomUUID()}`;
      const edited = await submit(
        'r-fw1',
        householdInstance({ instanceId: e1, entityId: k1, given: 'Батаа', deprecatedId: h1 }),
      );
      expect(edited.statusCode, edited.body).toBe(201);
      // The registration's create already made the case: the edit does not create it again.
      expect(edited.json<{ entity: unknown }>().entity).toBeNull();
      expect(await findEntity(k1, store)).toMatchObject({ version: 1 });

      const listed = await list('r-admin');
      expect(listed.total).toBe(2);
      expect(listed.items.find((i) => i.instanceId === e1)).toMatchObject({ reviewState: 'edited', deprecatedId: h1 });
      expect(listed.items.some((i) => i.instanceId === h1)).toBe(false);

      // Opened by the original's id (as Central's logical submission), the current version answers.
      const one = await get('r-admin', `${base()}/${h1}`);
      const body = one.json<{
        submission: View;
        versions: Array<View & { changes: Array<{ path: string; before: string | null; after: string | null }> }>;
        comments: Array<{ body: string }>;
      }>();
      expect(body.submission.instanceId).toBe(e1);
      expect(body.versions.map((v) => v.instanceId)).toEqual([h1, e1]);
      expect(body.versions[0]?.data).toMatchObject({ head: { head_given_name: 'Болд' } });
      expect(body.versions[1]?.changes).toContainEqual({
        path: '/head/head_given_name',
        before: 'Болд',
        after: 'Батаа',
      });
      expect(body.comments.map((c) => c.body)).toEqual(['Телефон дугаар дутуу']);

      // A second edit of the replaced version is stale; an edit of nothing is refused; neither stored.
      const stale = await submit(
        'r-fw1',
        householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: k1, given: 'Бат', deprecatedId: h1 }),
      );
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'submission.edit-stale' });
      const orphan = await submit(
        'r-fw1',
        householdInstance({
          instanceId: `uuid:${randomUUID()}`,
          entityId: randomUUID(),
          deprecatedId: `uuid:${randomUUID()}`,
        }),
      );
      expect(orphan.statusCode).toBe(404);
      expect(orphan.json()).toMatchObject({ code: 'submission.edit-unknown-original' });
      expect((await list('r-admin')).total).toBe(2);
    });

    it('updates the case from an edited visit through the entity rules', async () => {
      const v1 = `uuid:${randomUUID()}`;
      const first = await submit('r-fw1', visit({ instanceId: v1, entityId: k2, baseVersion: 1, needs: 'shelter' }));
      expect(first.statusCode, first.body).toBe(201);
      expect(await findEntity(k2, store)).toMatchObject({ version: 2, properties: { needs: 'shelter' } });
      const v2 = `uuid:${randomUUID()}`;
      const edit = await submit(
        'r-fw1',
        visit({ instanceId: v2, entityId: k2, baseVersion: 2, needs: 'water', deprecatedId: v1 }),
      );
      expect(edit.statusCode, edit.body).toBe(201);
      expect(edit.json()).toMatchObject({ entity: { action: 'updated', entityId: k2, version: 3 } });
      expect(await findEntity(k2, store)).toMatchObject({ version: 3, properties: { needs: 'water' } });
      const visits = await get('r-admin', `/api/v1/projects/${projectId}/forms/mn_visit/submissions/${v1}`);
      expect(visits.json<{ versions: unknown[] }>().versions).toHaveLength(2);
      // The case's history tells which version came from an edit, and on which base.
      const history = await get('r-admin', `/api/v1/projects/${projectId}/cases/${k2}/history`);
      expect(history.statusCode, history.body).toBe(200);
      const items = history.json<{ items: Array<{ version: number; source: string; baseVersion: number | null }> }>()
        .items;
      expect(items.map((i) => [i.version, i.source, i.baseVersion])).toEqual([
        [3, 'submission-edit', 2],
        [2, 'submission', 1],
        [1, 'submission', null],
      ]);
    });

    it('sets a review state for a selection at once, or for none when one is out of reach', async () => {
      const ids = (await list('r-admin')).items.map((i) => i.instanceId);
      const refused = await send('r-admin', 'POST', `${base()}/review`, {
        instanceIds: [...ids, `uuid:${randomUUID()}`],
        reviewState: 'approved',
      });
      expect(refused.statusCode).toBe(404);
      expect((await list('r-admin', '?reviewState=approved')).total).toBe(0);
      const bulk = await send('r-admin', 'POST', `${base()}/review`, { instanceIds: ids, reviewState: 'approved' });
      expect(bulk.statusCode, bulk.body).toBe(200);
      expect((await list('r-admin', '?reviewState=approved')).total).toBe(2);
      const events = await listAuditEvents(0, 10_000, store);
      expect(events.filter((e) => e.action === 'submission.review' && e.details['bulk'] === true)).toHaveLength(2);
    });
  });
}
