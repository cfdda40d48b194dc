import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { updateEntity } from '../storage/queries/entities.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { receiveSubmission } from '../submissions/receiveSubmission.js';
import type { Dashboard } from './projectDashboard.js';

const registration = new URL(
  '../../../../templates/mongolia-social-protection/forms/household_registration.xlsx',
  import.meta.url,
);
const password = 'correct horse battery staple';
const clock = { now: () => new Date('2026-11-15T10:00:00Z') };

/**
 * Khoroo 1 holds seven households close together, khoroo 2 (same district) two, and a khoroo of
 * another district one: cells under five.
 */
const households = [
  ...Array.from({ length: 7 }, (_, i) => ({
    soum: 'MN1110',
    bag: 'MN111051',
    lat: 47.9123 + i * 0.0004,
    lon: 106.9234,
    i,
  })),
  ...Array.from({ length: 2 }, (_, i) => ({
    soum: 'MN1110',
    bag: 'MN111052',
    lat: 47.9812 + i * 0.0004,
    lon: 107.1043,
    i: 7 + i,
  })),
  { soum: 'MN1116', bag: 'MN111651', lat: 47.8601, lon: 106.7702, i: 9 },
];
/** Values a reader without names or exact places must never receive. */
const canaries = {
  names: households.map((h) => `Canarygiv${h.i}`),
  registers: households.map((h) => `ЖЩ850327${String(10 + h.i)}`),
  coordinates: households.map((h) => h.lat.toFixed(4)),
  worker: 'Canary Worker Name',
};

function instance(h: (typeof households)[number], entityId: string): string {
  return householdInstance({
    instanceId: `uuid:${randomUUID()}`,
    entityId,
    given: canaries.names[h.i] ?? '',
    register: canaries.registers[h.i] ?? '',
    bag: h.bag,
  })
    .replace('<soum>MN1110</soum>', `<soum>${h.soum}</soum>`)
    .replace('<location/>', `<location>${h.lat.toFixed(4)} ${h.lon} 1300 4</location>`)
    .replace(
      '<vulnerability/>',
      `<vulnerability>${h.i % 2 === 0 ? 'disability elderly' : 'disability'}</vulnerability>`,
    )
    .replace('<registration_date>2026-03-01', `<registration_date>2026-0${3 + (h.i % 3)}-01`);
}

/** The dashboard tests on one store: aggregates, suppression and redaction as each role gets them. */
export function describeDashboards(dialect: string, open: () => Promise<{ store: Store; close(): Promise<void> }>) {
  describe(`dashboards (${dialect})`, () => {
    let opened: { store: Store; close(): Promise<void> };
    let app: FastifyInstance;
    let projectId: string;
    let otherProjectId: string;

    beforeAll(async () => {
      opened = await open();
      const { store } = opened;
      const project = await createProject(
        { slug: 'bzd', name: 'Bayanzürkh', template: 'mongolia-social-protection' },
        store,
      );
      projectId = project.id;
      otherProjectId = (await createProject({ slug: 'other', name: 'Other' }, store)).id;
      await upsertAreas(
        projectId,
        '2024',
        [
          { code: 'MN11', parentCode: null, level: 'aimag', names: { mn: 'Улаанбаатар' } },
          { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { mn: 'Баянзүрх' } },
          { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { mn: '1-р хороо' } },
          { code: 'MN111052', parentCode: 'MN1110', level: 'khoroo', names: { mn: '2-р хороо' } },
          { code: 'MN1116', parentCode: 'MN11', level: 'district', names: { mn: 'Сонгинохайрхан' } },
          { code: 'MN111651', parentCode: 'MN1116', level: 'khoroo', names: { mn: '1-р хороо (СХД)' } },
        ],
        store,
      );
      const published = await publishForm(
        { projectId, fileName: 'household_registration.xlsx', bytes: readFileSync(registration), actorId: null },
        store,
      );
      if (!published.ok) throw new Error(JSON.stringify(published));
      const users = new Map<string, string>();
      for (const [username, role, displayName] of [
        ['super', 'supervisor', 'Supervisor'],
        ['analyst', 'analyst', 'Analyst'],
        ['worker', 'fieldworker', canaries.worker],
      ] as const) {
        const r = await addUser({ username, displayName, role, password }, null, clock, store);
        if (!r.ok) throw new Error(JSON.stringify(r));
        await addMembership({ userId: r.user.id, projectId, roleId: role }, store);
        users.set(username, r.user.id);
      }
      for (const h of households) {
        const entityId = randomUUID();
        const r = await receiveSubmission(
          { projectId, xml: instance(h, entityId), userId: null, deviceId: null },
          store,
        );
        if (!r.ok) throw new Error(JSON.stringify(r));
        // Three households of khoroo 1 are the field worker's.
        if (h.i < 3) await updateEntity(entityId, { assigneeId: users.get('worker') ?? null }, store);
      }
      app = await buildApp({ store, settings: defaultSettings, clock });
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await opened?.close();
    });

    async function dashboardOf(username: string, project = projectId) {
      const session = await signIn(app, username, password, clock.now);
      return app.inject({
        method: 'GET',
        url: `/api/v1/projects/${project}/dashboard`,
        headers: { cookie: session.cookie },
      });
    }
    const panel = (d: Dashboard, id: string) => {
      const found = d.panels.find((p) => p.id === id);
      if (found === undefined) throw new Error(`no panel ${id}`);
      return found;
    };

    it('counts the cases by month, area, vulnerability and worker, naming the worker to a supervisor', async () => {
      const res = await dashboardOf('super');
      expect(res.statusCode).toBe(200);
      const d = res.json<Dashboard>();
      expect(d).toMatchObject({ template: 'mongolia-social-protection', records: 10, exactLocations: true });
      const months = panel(d, 'cases.registered').rows.map((r) => [r.keys[0], r.values[0]]);
      expect(months).toEqual([
        ['2026-03', 4],
        ['2026-04', 3],
        ['2026-05', 3],
      ]);
      const byArea = panel(d, 'cases.area').rows.map((r) => [d.areas[r.keys[0] ?? '']?.['mn'], r.values[0]]);
      expect(byArea).toEqual([
        ['1-р хороо', 7],
        ['2-р хороо', 2],
        ['1-р хороо (СХД)', 1],
      ]);
      const vulnerability = Object.fromEntries(
        panel(d, 'cases.vulnerability').rows.map((r): [string, number | null] => [
          r.keys[0] ?? '',
          r.values[0] ?? null,
        ]),
      );
      expect(vulnerability).toEqual({ disability: 10, elderly: 5 });
      const caseload = panel(d, 'cases.caseload');
      expect(caseload.measures).toEqual(['open', 'overdue']);
      const assigned = caseload.rows.find((r) => r.keys[0] !== '');
      expect(assigned?.values).toEqual([3, 0]);
      expect(d.workers[assigned?.keys[0] ?? '']).toBe(canaries.worker);
      // The map by hexagon: khoroo 1's seven households in one cell, the others in cells of two and one.
      expect(d.map.cells.map((c) => c.count).sort()).toEqual([1, 2, 7]);
      expect(d.map.suppressed).toBe(0);
    }, 60_000);

    it('suppresses places under five records for an analyst and sends no name, register or exact place', async () => {
      const res = await dashboardOf('analyst');
      expect(res.statusCode).toBe(200);
      const d = res.json<Dashboard>();
      expect(d).toMatchObject({ records: 10, exactLocations: false, minimumCell: 5 });
      // The policy shows an analyst districts, not khoroos; the district with one household is left out.
      const byArea = panel(d, 'cases.area');
      expect(byArea.rows.map((r) => [d.areas[r.keys[0] ?? '']?.['mn'], r.values[0]])).toEqual([['Баянзүрх', 9]]);
      expect(byArea.suppressed).toBe(1);
      expect(JSON.stringify(d.areas)).not.toContain('Сонгинохайрхан');
      expect(JSON.stringify(d.areas)).not.toContain('хороо');
      // On the map only the hexagon of seven remains.
      expect(d.map.cells.map((c) => c.count)).toEqual([7]);
      expect(d.map.suppressed).toBe(2);
      // Counts that name no place are not suppressed.
      expect(panel(d, 'cases.vulnerability').rows.map((r) => r.values[0])).toEqual([10, 5]);
      // Workers are keys without names.
      expect(Object.values(d.workers).every((name) => name === null)).toBe(true);
      for (const value of [...canaries.names, ...canaries.registers, ...canaries.coordinates, canaries.worker]) {
        expect(res.body).not.toContain(value);
      }
    }, 60_000);

    it('is refused to a field worker and answers as missing outside the reader’s projects', async () => {
      expect((await dashboardOf('worker')).statusCode).toBe(403);
      expect((await dashboardOf('analyst', otherProjectId)).statusCode).toBe(404);
    }, 60_000);
  });
}
