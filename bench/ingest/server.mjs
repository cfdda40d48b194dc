// The server side of the ingest benchmark, run as its own process so the simulated devices do not
// share its event loop: a fresh database, the Mongolia household registration form published, a
// field worker of the whole district, N submissions pre-stored by direct inserts with the N cases
// they registered (not measured), then the app listening on 127.0.0.1. Prints one JSON line when ready.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { BAYANZURKH_KHOROOS, householdCase, householdXml, KHOROOS, uuidOf } from './householdXml.mjs';

const [dataDir, databaseUrlArg, storedArg, serverDist] = process.argv.slice(2);
// `--server-dist` runs another build of the server (an earlier one, for before/after figures).
const {
  addMembership,
  addUser,
  buildApp,
  compileLimits,
  createProject,
  defaultSettings,
  ensureEntityList,
  insertRegisteredCases,
  migrate,
  openStore,
  publishForm,
  systemClock,
  upsertAreas,
} = await import(serverDist === undefined ? '@outpost/server' : pathToFileURL(join(serverDist, 'index.js')).href);
const databaseUrl = databaseUrlArg === '-' ? null : databaseUrlArg;
// The set-up is not what is measured: on a busy shared machine the household form's compile can
// pass the server's 30 s limit, which would end the run before it starts.
compileLimits.timeLimitMs = 600_000;
const stored = Number(storedArg);
// The load benchmark's --areas K: K field workers, each a member of one khoroo only (her devices
// see that khoroo's cases), instead of one worker of the whole district. 0: the one worker.
const areasCount = Number(process.env.OUTPOST_BENCH_AREAS ?? '0');
if (!Number.isInteger(areasCount) || areasCount < 0 || areasCount > BAYANZURKH_KHOROOS.length) {
  throw new Error(`OUTPOST_BENCH_AREAS: 0 to ${BAYANZURKH_KHOROOS.length} khoroos`);
}
const khoroos = BAYANZURKH_KHOROOS.slice(0, Math.max(KHOROOS.length, areasCount));
const USERNAME = 'bench';
const password = 'Khuvsgul-nuur-2026-tsas';
const formFile = new URL(
  '../../templates/mongolia-social-protection/forms/household_registration.xlsx',
  import.meta.url,
);

const log = (line) => process.stderr.write(`server: ${line}\n`);

const store = await openStore({ databaseUrl, sqlitePath: join(dataDir, 'outpost.db') });
await migrate(store);
const project = await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh social protection' }, store);
const areas = await upsertAreas(
  project.id,
  '2024',
  [
    { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
    { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
    ...khoroos.map((code, i) => ({ code, parentCode: 'MN1110', level: 'khoroo', names: { en: `Khoroo ${i + 1}` } })),
  ],
  store,
);
const published = await publishForm(
  { projectId: project.id, fileName: 'household_registration.xlsx', bytes: readFileSync(formFile), actorId: null },
  store,
);
if (!published.ok) throw new Error(`publishing the household form failed: ${JSON.stringify(published)}`);
/** A field worker who is a member of the area `code`. */
async function worker(username, code) {
  const made = await addUser(
    { username, displayName: 'Benchmark devices', role: 'fieldworker', password },
    null,
    systemClock,
    store,
  );
  if (!made.ok) throw new Error(made.detail);
  const area = areas.find((a) => a.code === code);
  await addMembership({ userId: made.user.id, projectId: project.id, roleId: 'fieldworker', areaId: area.id }, store);
  return made.user;
}
const benchUser = await worker(USERNAME, 'MN1110');
const workers = khoroos.slice(0, areasCount).map((code) => ({ username: `${USERNAME}-${code}`, khoroo: code }));
for (const w of workers) await worker(w.username, w.khoroo);
const formVersion = await store.db
  .selectFrom('form_versions')
  .innerJoin('forms', 'forms.id', 'form_versions.form_id')
  .select(['form_versions.id', 'form_versions.version', 'forms.xml_form_id'])
  .where('forms.project_id', '=', project.id)
  .executeTakeFirstOrThrow();

// Pre-filling is not what is measured: multi-row inserts in large transactions, the submission
// counter set once at the end. Rows look like what receiveSubmission stores (XML + projection).
// Each pre-stored submission's case goes in beside it (storage's insertRegisteredCases: the entity
// at version 1 in the submission's khoroo with its first version, entity seqs 1..N), as the
// household form makes it, so pulls, scope queries and case lists run against N cases. A build
// from before insertRegisteredCases (`--server-dist`) pre-stores submissions only.
const cases = insertRegisteredCases === undefined ? null : await ensureEntityList(project.id, 'cases', store);
if (cases === null && stored > 0) log('this build cannot pre-fill cases: pre-storing submissions only');
const areaIdOf = new Map(areas.map((a) => [a.code, a.id]));
const prefillStarted = performance.now();
const ROWS_PER_STATEMENT = 500;
const ROWS_PER_TRANSACTION = 50_000;
for (let done = 0; done < stored;) {
  const upTo = Math.min(stored, done + ROWS_PER_TRANSACTION);
  await store.transaction(async (tx) => {
    for (let from = done; from < upTo; from += ROWS_PER_STATEMENT) {
      const rows = [];
      const registered = [];
      for (let i = from; i < Math.min(upTo, from + ROWS_PER_STATEMENT); i++) {
        const instanceId = `uuid:${uuidOf(`prefill-${i}`)}`;
        const entityId = uuidOf(`prefill-case-${i}`);
        const xml = householdXml({ instanceId, entityId, version: formVersion.version, n: i });
        if (cases !== null) {
          const { label, properties, bag } = householdCase(i);
          registered.push({
            id: entityId,
            label,
            properties,
            areaId: areaIdOf.get(bag),
            submissionId: instanceId,
            createdBy: benchUser.id,
            at: '2026-03-01T01:00:00.000Z',
          });
        }
        rows.push({
          instance_id: instanceId,
          project_id: project.id,
          form_version_id: formVersion.id,
          user_id: benchUser.id,
          device_id: null,
          xml,
          data: JSON.stringify({ n: String(i), meta: { instanceID: instanceId } }),
          replaces: null,
          received_at: '2026-03-01T01:00:00.000Z',
          seq: i + 1,
        });
      }
      await tx.db.insertInto('submissions').values(rows).execute();
      if (cases !== null) await insertRegisteredCases(cases.id, registered, tx);
    }
  });
  done = upTo;
  if (done % 200_000 === 0 || done === stored) {
    log(
      `pre-stored ${done} submissions${cases === null ? '' : ' and cases'} (${((performance.now() - prefillStarted) / 1000).toFixed(0)} s)`,
    );
  }
}
if (stored > 0) {
  await store.db
    .insertInto('counters')
    .values({ name: 'submissions', value: stored })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: stored }))
    .execute();
  if (store.dialect === 'postgres') await sql`analyze`.execute(store.db);
}
const prefillSeconds = (performance.now() - prefillStarted) / 1000;

const app = await buildApp({
  store,
  // The bench logs in hundreds of devices at once; the login limit is not what is measured.
  settings: {
    ...defaultSettings,
    loginRateLimitPerMinute: 1_000_000,
    dataDir,
    // `compiled` (the default) or `engine`, from run.mjs's --validator.
    validator: process.env.OUTPOST_VALIDATOR === 'engine' ? 'engine' : 'compiled',
  },
  logger: false,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(
  `${JSON.stringify({
    ready: true,
    url: `http://127.0.0.1:${address.port}`,
    projectId: project.id,
    formId: formVersion.xml_form_id,
    formVersion: formVersion.version,
    username: USERNAME,
    password,
    // With OUTPOST_BENCH_AREAS: the khoroo workers (same password), devices spread over them.
    workers,
    prefillSeconds,
    // The entity commit seq the pre-filled cases end at (0: none): a device that holds them pulls from there.
    casesThroughSeq: cases === null ? 0 : stored,
  })}\n`,
);

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await app.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
