// One phase of the export benchmark, in a process of its own so that its peak RSS is its own:
//   generate DIR N — a fresh SQLite database with the Mongolia household registration form and N
//                    submissions bulk-inserted through storage (multi-row inserts, not HTTP);
//   csv DIR        — `exportForm` to a .csv.zip file, as `outpost export` runs it;
//   odata DIR      — the app on 127.0.0.1 and every page of the Submissions table, all fields,
//                    fetched over HTTP following @odata.nextLink, authenticated by an
//                    administrator's feed key (Power BI's "Web API" key: administrators must use
//                    a key, as Basic would need their second factor).
// Prints one JSON line on stdout: {"seconds", "peak_rss_mb", ...}.
import { createWriteStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  addMembership,
  addUser,
  buildApp,
  createFeedKey,
  createProject,
  defaultSettings,
  exportForm,
  findForm,
  migrate,
  openStore,
  publishForm,
  systemClock,
  upsertAreas,
} from '@outpost/server';
import { householdRow } from './household.mjs';

const [phase, dataDir, arg] = process.argv.slice(2);
const sqlitePath = join(dataDir, 'outpost.db');
const USERNAME = 'bench-manager';
const PASSWORD = 'Khuvsgul-nuur-2026-tsas';
const log = (line) => process.stderr.write(`${phase}: ${line}\n`);
const peakRssMb = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;

async function generate(n) {
  const store = await openStore({ databaseUrl: null, sqlitePath });
  await migrate(store);
  const project = await createProject({ slug: 'bench-export', name: 'Export benchmark' }, store);
  await upsertAreas(
    project.id,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
    ],
    store,
  );
  const formFile = new URL(
    '../../templates/mongolia-social-protection/forms/household_registration.xlsx',
    import.meta.url,
  );
  const published = await publishForm(
    { projectId: project.id, fileName: 'household_registration.xlsx', bytes: readFileSync(formFile), actorId: null },
    store,
  );
  if (!published.ok) throw new Error(`publishing the household form failed: ${JSON.stringify(published)}`);
  const added = await addUser(
    { username: USERNAME, displayName: 'Benchmark manager', role: 'admin', password: PASSWORD },
    null,
    systemClock,
    store,
  );
  if (!added.ok) throw new Error(added.detail);
  await addMembership({ userId: added.user.id, projectId: project.id, roleId: 'admin' }, store);
  const feedKey = await createFeedKey(added.user.id, 'export benchmark', systemClock, store);
  const version = await store.db
    .selectFrom('form_versions')
    .innerJoin('forms', 'forms.id', 'form_versions.form_id')
    .select(['form_versions.id', 'form_versions.version'])
    .where('forms.project_id', '=', project.id)
    .executeTakeFirstOrThrow();
  const started = performance.now();
  const PER_STATEMENT = 400;
  const PER_TRANSACTION = 50_000;
  for (let done = 0; done < n;) {
    const upTo = Math.min(n, done + PER_TRANSACTION);
    await store.transaction(async (tx) => {
      for (let from = done; from < upTo; from += PER_STATEMENT) {
        const rows = [];
        for (let i = from; i < Math.min(upTo, from + PER_STATEMENT); i++) {
          rows.push(
            householdRow(i, {
              projectId: project.id,
              formVersionId: version.id,
              version: version.version,
              userId: added.user.id,
            }),
          );
        }
        await tx.db.insertInto('submissions').values(rows).execute();
      }
    });
    done = upTo;
    if (done % 100_000 === 0 || done === n)
      log(`${done} submissions (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await store.db
    .insertInto('counters')
    .values({ name: 'submissions', value: n })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: n }))
    .execute();
  await store.close();
  return { projectId: project.id, feedKey: feedKey.key, seconds: (performance.now() - started) / 1000 };
}

async function csv() {
  const store = await openStore({ databaseUrl: null, sqlitePath });
  const project = await store.db.selectFrom('projects').select('id').executeTakeFirstOrThrow();
  const form = await findForm(project.id, 'mn_household_registration', store);
  const out = join(dataDir, 'export.csv.zip');
  const file = createWriteStream(out);
  const started = performance.now();
  const result = await exportForm({ formId: form.id, format: 'csv', actorId: null }, store, file);
  file.end();
  await finished(file);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return { seconds, submissions: result.submissions, bytes: (await stat(out)).size };
}

async function odata() {
  const store = await openStore({ databaseUrl: null, sqlitePath });
  const project = await store.db.selectFrom('projects').select('id').executeTakeFirstOrThrow();
  const app = await buildApp({ store, settings: { ...defaultSettings, dataDir }, logger: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  let url = `${base}/v1/projects/${project.id}/forms/mn_household_registration.svc/Submissions?key=${arg}`;
  let rows = 0;
  let pages = 0;
  const started = performance.now();
  while (url !== undefined) {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`OData page ${pages + 1}: HTTP ${res.status} ${await res.text()}`);
    const body = await res.json();
    rows += body.value.length;
    pages += 1;
    // The next link leaves the key out (it is a credential); Power BI adds it to every request.
    const next = body['@odata.nextLink'];
    url = next === undefined ? undefined : `${next}&key=${arg}`;
    if (pages % 20 === 0) log(`${rows} rows`);
  }
  const seconds = (performance.now() - started) / 1000;
  await app.close();
  await store.close();
  return { seconds, rows, pages };
}

const result =
  phase === 'generate'
    ? await generate(Number(arg))
    : phase === 'csv'
      ? await csv()
      : phase === 'odata'
        ? await odata()
        : (() => {
            throw new Error(`unknown phase ${phase}`);
          })();
// CPU time of the whole process (worker threads included): on a busy shared machine the wall
// clock mostly measures the queue for a core; this is what the step itself cost.
const cpu = process.cpuUsage();
const cpuSeconds = Math.round((cpu.user + cpu.system) / 10_000) / 100;
process.stdout.write(`${JSON.stringify({ ...result, cpu_seconds: cpuSeconds, peak_rss_mb: peakRssMb() })}\n`);
