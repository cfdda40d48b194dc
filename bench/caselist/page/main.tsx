// Runs in headless Chromium: the tablet's case list over N synthetic households (bench/search's
// generator). The index and overview (DeviceCaseload) against core's bare CaseIndex; the
// virtualized CaseTable against a plain table of every row (the peer), drawn and scrolled.
import { CaseIndex } from '@outpost/core';
import { For, type JSX } from 'solid-js';
import { render } from 'solid-js/web';
import { AppContext, type AppServices } from '../../../packages/web/src/app/AppContext.js';
import '../../../packages/web/src/app/app.css';
import { countCases, type CaseRow } from '../../../packages/web/src/features/cases/caseRows.js';
import { CaseTable } from '../../../packages/web/src/features/cases/CaseTable.jsx';
import { DeviceCaseload } from '../../../packages/web/src/features/cases/deviceCaseload.js';
import { readFormWords } from '../../../packages/web/src/features/forms/formVocabulary.js';
import { createI18n } from '../../../packages/web/src/i18n/createI18n.js';
import type { DeviceRecord } from '../../../packages/web/src/sync/listDeviceRecords.js';
import registrationXml from '../../../packages/web/src/forms/__fixtures__/household_registration.xml?raw';
import assessmentXml from '../../../packages/web/src/forms/__fixtures__/assessment.xml?raw';
import { makeCases } from '../../search/page/data.js';

const TODAY = '2026-12-07';
const forms = [registrationXml, assessmentXml].flatMap((xml) => readFormWords(xml) ?? []);
const i18n = createI18n({ navigatorLanguage: 'mn' });
const services = { i18n, api: null, session: null } as unknown as AppServices;

const frame = () => new Promise<number>((resolve) => requestAnimationFrame((t) => resolve(t)));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const heapMb = () =>
  ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 2 ** 20;

function records(n: number): DeviceRecord[] {
  return makeCases(n).map((c, i) => ({
    id: c.id,
    list: 'cases',
    projectId: 'p1',
    label: c.label,
    status: ['open', 'in_progress', 'referred', 'closed'][i % 4] ?? 'open',
    state: i % 500 === 0 ? 'pending' : 'synced',
    rejection: null,
    seq: null,
    properties: {
      ...c.properties,
      __label: c.label,
      risk_level: ['low', 'medium', 'high'][i % 3],
      review_due_date: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`,
    },
    version: 1,
    pendingSeq: 0,
  }));
}

async function mountAndScroll(
  table: () => JSX.Element,
): Promise<{ firstPaintMs: number; frameP50: number; frameP95: number; rowsInDom: number }> {
  const root = document.getElementById('root') as HTMLElement;
  root.innerHTML = '';
  const started = performance.now();
  const dispose = render(() => <AppContext.Provider value={services}>{table()}</AppContext.Provider>, root);
  await frame();
  await frame();
  const firstPaintMs = performance.now() - started;
  const scroller =
    root.querySelector<HTMLElement>('.case-scroll') ?? document.scrollingElement ?? document.documentElement;
  const frames: number[] = [];
  let last = await frame();
  for (let step = 0; step < 120; step++) {
    scroller.scrollTop += 900;
    const now = await frame();
    frames.push(now - last);
    last = now;
  }
  const rowsInDom = root.querySelectorAll('tr.case-row').length;
  dispose();
  frames.sort((a, b) => a - b);
  return { firstPaintMs, frameP50: percentile(frames, 0.5), frameP95: percentile(frames, 0.95), rowsInDom };
}

(globalThis as unknown as { runBench: unknown }).runBench = async (n: number, plainLimit: number) => {
  const input = records(n);
  const out: Array<Record<string, unknown>> = [];

  // Index: the device caseload (rows, index, counts) against core's bare index.
  const heap0 = heapMb();
  let t = performance.now();
  const load = new DeviceCaseload(forms, TODAY);
  load.update(input);
  const buildS = (performance.now() - t) / 1000;
  const heapAfter = heapMb();
  t = performance.now();
  countCases(load.all(), () => []);
  const countsMs = performance.now() - t;
  const time = (request: Parameters<DeviceCaseload['view']>[0]) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      load.view(request);
      runs.push(performance.now() - s);
    }
    return percentile(
      runs.sort((a, b) => a - b),
      0.5,
    );
  };
  // The first view after a load sorts every case; later ones (a filter tapped, a letter typed) reuse the order.
  t = performance.now();
  load.view({ query: '', filters: [], sort: 'name' });
  const firstSortByNameMs = performance.now() - t;
  const changed = input.slice(0, 100).map((r) => ({ ...r, properties: { ...r.properties, needs: 'food' } }));
  t = performance.now();
  load.update([...changed, ...input.slice(100)]);
  const update100Ms = performance.now() - t;
  out.push({
    engine: 'outpost DeviceCaseload',
    cases: n,
    buildSeconds: buildS,
    heapMb: heapAfter - heap0,
    overviewCountsMs: countsMs,
    firstSortByNameMs,
    sortByNameMs: time({ query: '', filters: [], sort: 'name' }),
    overdueFilterMs: time({ query: '', filters: [{ kind: 'overdue' }], sort: 'name' }),
    sortByPriorityMs: time({ query: '', filters: [], sort: 'priority' }),
    filterAgeAreaNeedMs: time({ query: 'age:60+ area:MN111051 needs:heating', filters: [], sort: 'name' }),
    nameSearchMs: time({ query: 'bat erdene', filters: [], sort: 'name' }),
    update100ChangedMs: update100Ms,
  });
  t = performance.now();
  const bare = new CaseIndex({
    nameFields: ['head_family_name', 'head_fathers_name', 'head_given_name'],
    dobField: 'head_dob',
    areaFields: ['aimag', 'soum', 'bag'],
    selectFields: ['needs'],
  });
  bare.putAll(input.map((r) => ({ id: r.id, label: r.label, properties: r.properties as Record<string, string> })));
  out.push({ engine: 'core CaseIndex alone (peer)', cases: n, buildSeconds: (performance.now() - t) / 1000 });

  // List: the virtualized table over every row against a plain table of `plainLimit` rows.
  const rows = load.view({ query: '', filters: [], sort: 'name' }).rows;
  const columns = {
    status: (r: CaseRow) => r.status ?? '',
    area: (r: CaseRow) => r.area?.code ?? '',
    assignee: (r: CaseRow) => r.assignee?.username ?? '',
    risk: (r: CaseRow) => r.risk ?? '',
    actions: () => '',
  };
  const caseTable = () => (
    <CaseTable rows={rows} highlights={new Map()} columns={columns} caseHref={(r) => `#${r.id}`} />
  );
  // The same table as before containment and fixed table layout (cases.css), in the same run:
  // before, after, before, after, so neither gains from running second.
  const before = document.createElement('style');
  before.textContent = '.case-scroll { contain: none; } .case-scroll .case-table { table-layout: auto; }';
  for (const pass of [1, 2]) {
    document.head.append(before);
    const unconfined = await mountAndScroll(caseTable);
    before.remove();
    out.push({
      engine: `virtualized CaseTable before (auto table layout, no containment), pass ${pass}`,
      rows: rows.length,
      ...unconfined,
    });
    const virtual = await mountAndScroll(caseTable);
    out.push({ engine: `virtualized CaseTable, pass ${pass}`, rows: rows.length, ...virtual });
  }
  const some = rows.slice(0, plainLimit);
  const plain = await mountAndScroll(() => (
    <table class="case-table">
      <tbody>
        <For each={some}>
          {(r) => (
            <tr class="case-row">
              <th>{r.label}</th>
              <td>{r.status}</td>
              <td>{r.area?.code}</td>
              <td>{r.age}</td>
              <td>{r.due}</td>
              <td>{r.risk}</td>
              <td />
            </tr>
          )}
        </For>
      </tbody>
    </table>
  ));
  out.push({ engine: 'plain table (peer)', rows: some.length, ...plain });
  return out;
};
(globalThis as unknown as { benchReady: boolean }).benchReady = true;
