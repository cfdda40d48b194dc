import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyActor } from '@outpost/core';
import { repeatPathsOf } from '../forms/formEngine.js';
import { watchEventLoop } from '../http/eventLoopWatch.js';
import { catalogueFor } from '../policy/catalogueFor.js';
import { listFormVersions } from '../storage/queries/forms.js';
import { submissionsAfter } from '../storage/queries/exports.js';
import { findSubmission, insertSubmission } from '../storage/queries/submissions.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { receiveSubmission } from '../submissions/receiveSubmission.js';
import type { ExportFixture } from './exportFixture.test-support.js';
import { openExportFixture } from './exportFixture.test-support.js';
import { exportForm } from './exportForm.js';
import { exportTables } from './exportShape.js';
import { exportPageSize, writeExport } from './exportWriters.js';
import type { ExportFormat, ExportPolicy } from './exportWriters.js';

// Issue 9: big exports are built in a worker thread. The worker runs the built code: `npx tsc -b`
// before this test (npm test builds first).
/** Households in the export, each with MEMBERS repeat rows: tens of thousands of rows in all. */
const HOUSEHOLDS = 3_000;
const MEMBERS = 12;

let fixture: ExportFixture;
let store: Store;
let formId: string;
let policy: ExportPolicy;

function member(i: number): Record<string, string> {
  return {
    member_family_name: 'Боржигин',
    member_fathers_name: 'Батын',
    member_given_name: `Хүүхэд ${i}`,
    member_register_number: `УК1506${String(i).padStart(4, '0')}`,
    member_dob: '2015-06-01',
    member_age: '11',
    member_sex: i % 2 === 0 ? 'female' : 'male',
    member_relationship: 'child',
  };
}

beforeAll(async () => {
  fixture = await openExportFixture('outpost-export-worker-');
  ({ store, formId } = fixture);
  const first = `uuid:${randomUUID()}`;
  const xml = householdInstance({ instanceId: first, entityId: randomUUID() }).replace(
    '<location/>',
    '<location>47.918 106.917 1350 5</location>',
  );
  const received = await receiveSubmission({ projectId: fixture.projectId, xml, userId: null, deviceId: null }, store);
  if (!received.ok) throw new Error(JSON.stringify(received));
  // The rest are copies of the received one with their own ids, names and members, written
  // straight to the table: receiving thousands one by one would take most of the test's time.
  const base = await findSubmission(first, store);
  if (base === undefined) throw new Error('not stored');
  const data = JSON.parse(base.data) as { head: Record<string, string>; members?: unknown };
  await store.transaction(async (tx) => {
    for (let i = 1; i < HOUSEHOLDS; i++) {
      const id = `uuid:${randomUUID()}`;
      const copy = {
        ...data,
        head: { ...data.head, head_given_name: `Болд ${i}` },
        members: Array.from({ length: MEMBERS }, (_, m) => member(i * MEMBERS + m)),
      };
      await insertSubmission(
        { ...base, instance_id: id, data: JSON.stringify(copy), seq: base.seq + i, xml: base.xml },
        tx,
      );
    }
  });
  const actor: PolicyActor = {
    userId: randomUUID(),
    role: 'analyst',
    memberships: [{ projectId: fixture.projectId, role: 'analyst', scopes: [{ kind: 'project' }] }],
  };
  policy = { actor, catalogue: await catalogueFor(fixture.projectId, store), projectId: fixture.projectId };
}, 300_000);
afterAll(async () => {
  await fixture?.close();
});

function collect(): { out: PassThrough; bytes: () => Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  return {
    out,
    bytes: async () => {
      out.end();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}

/** The export as the worker builds it. */
async function inWorker(format: ExportFormat): Promise<Buffer> {
  const { out, bytes } = collect();
  const result = await exportForm({ formId, format, actorId: null, policy }, store, out);
  expect(result.submissions).toBe(HOUSEHOLDS);
  return bytes();
}

/** The same export built on this thread by the same writers, as exports ran before the worker. */
async function onThisThread(format: ExportFormat, out: Writable): Promise<void> {
  const [latest] = await listFormVersions(formId, store);
  if (latest === undefined) throw new Error('no version');
  const job = {
    format,
    tables: exportTables(latest.summary, repeatPathsOf(latest.xform)),
    version: latest,
    policy,
  };
  await writeExport(
    job,
    (after) => submissionsAfter(formId, after, exportPageSize, store),
    out,
    () => undefined,
  );
}

async function sheets(bytes: Buffer): Promise<unknown[][][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return book.worksheets.map((s) => s.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : [])));
}

/** Waits for the watch's window to close, then reads the longest stall since it started. */
async function longestStall(watch: ReturnType<typeof watchEventLoop>): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  return watch.report().maxMs;
}

describe('exports in a worker thread', () => {
  it('a .csv.zip of thousands of households built in the worker holds what the main thread wrote', async () => {
    const watch = watchEventLoop(() => undefined);
    const started = performance.now();
    const files = unzipSync(new Uint8Array(await inWorker('csv')));
    const seconds = (performance.now() - started) / 1000;
    const stall = await longestStall(watch);
    watch.stop();
    const before = collect();
    const mainWatch = watchEventLoop(() => undefined);
    await onThisThread('csv', before.out);
    const mainStall = await longestStall(mainWatch);
    mainWatch.stop();
    const expected = unzipSync(new Uint8Array(await before.bytes()));
    console.log(
      `export of ${HOUSEHOLDS} households: in a worker ${seconds.toFixed(1)} s, longest stall ${stall} ms; ` +
        `on the main thread, longest stall ${mainStall} ms`,
    );
    expect(Object.keys(files).sort()).toEqual(Object.keys(expected).sort());
    for (const name of Object.keys(expected))
      expect(strFromU8(files[name] ?? new Uint8Array())).toBe(strFromU8(expected[name] ?? new Uint8Array()));
    const root = strFromU8(files['mn_household_registration.csv'] ?? new Uint8Array()).split('\r\n');
    expect(root.length).toBe(HOUSEHOLDS + 2);
    expect(root.join('\n')).not.toContain('Болд 1,');
    const members = strFromU8(files['mn_household_registration-members.csv'] ?? new Uint8Array()).split('\r\n');
    expect(members.length).toBe((HOUSEHOLDS - 1) * MEMBERS + 2);
    // The analyst's export carries no names: redaction ran in the worker as before.
    expect(members.join('\n')).not.toContain('Хүүхэд');
    // The stalls are printed, not asserted: timings on a shared machine belong in bench/ (the
    // export benchmark), and the abuse suite bounds the server's event loop as a liveness check.
  }, 300_000);

  it('an .xlsx and GeoJSON hold the same as the main thread wrote', async () => {
    const before = collect();
    await onThisThread('xlsx', before.out);
    expect(await sheets(await inWorker('xlsx'))).toEqual(await sheets(await before.bytes()));
    const geo = collect();
    await onThisThread('geojson', geo.out);
    expect((await inWorker('geojson')).toString('utf8')).toBe((await geo.bytes()).toString('utf8'));
  }, 300_000);
});
