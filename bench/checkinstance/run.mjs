// Micro-benchmark of what the server does with each submitted instance before storing it (issue
// 14): parse it (prepareInstance), check it against its form version (checkInstance: shape, types,
// the compiled validator) and project it to JSON for the submissions table (projectInstance), on
// the household registration form the ingest and load benchmarks send. No database: the batch's
// reads are answered in memory, so only CPU on this thread is measured.
//
//   node bench/checkinstance/run.mjs [--iterations 20000] [--rounds 5] [--server-dist OTHER/packages/server/dist]
//
// Needs `npx tsc -b` first. Prints JSON: microseconds per instance for each step and in all, the
// best round of each (the machine is shared; the best round is the least disturbed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { householdXml, uuidOf } from '../ingest/householdXml.mjs';

const { values: opts } = parseArgs({
  options: {
    iterations: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    'server-dist': { type: 'string' },
  },
});
const dist = opts['server-dist'] ?? fileURLToPath(new URL('../../packages/server/dist/', import.meta.url));
const load = (file) => import(pathToFileURL(join(dist, file)).href);
const { prepareInstance, checkInstance } = await load('submissions/prepareInstance.js');
const { projectInstance } = await load('submissions/readInstance.js');
const { repeatPathsOf } = await load('forms/formEngine.js');
const { readWorkbook } = await load('xlsform/readWorkbook.js');
const { compileXlsform } = await import('@outpost/core');

const file = new URL('../../templates/mongolia-social-protection/forms/household_registration.xlsx', import.meta.url);
const read = await readWorkbook(readFileSync(file), 'household_registration.xlsx');
if (!read.ok) throw new Error('the household workbook did not read');
const compiled = compileXlsform(read.workbook, { fileName: 'household_registration.xlsx' });
if (!compiled.ok) throw new Error('the household workbook did not compile');
const xform = compiled.xform;
const version = /<data[^>]*\sversion="([^"]*)"/.exec(xform)?.[1] ?? '';

const instances = Array.from({ length: 64 }, (_, n) =>
  householdXml({ instanceId: `uuid:${uuidOf(`bench-${n}`)}`, entityId: uuidOf(`case-${n}`), version, n }),
);
const formVersion = { xform };
const batch = () => ({ stored: new Set(), formVersions: { get: () => Promise.resolve(formVersion), set() {} } });

// Every instance must be judged (and valid), or the benchmark measures a shortcut.
for (const xml of instances) {
  const checked = await checkInstance('p', prepareInstance(xml), null, batch());
  if (checked.checked === undefined) throw new Error('an instance was not checked');
  if (checked.checked.violations.length > 0) throw new Error(JSON.stringify(checked.checked.violations));
}

const iterations = Number(opts.iterations);
const best = { prepare: Infinity, check: Infinity, project: Infinity, total: Infinity };
const reads = batch();
const repeatPaths = repeatPathsOf(xform);
// CPU time of this process (user + system), not wall time: the machine may be shared.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
for (let round = 0; round < Number(opts.rounds); round++) {
  let prepare = 0;
  let check = 0;
  let project = 0;
  for (let done = 0; done < iterations; done += instances.length) {
    const t0 = cpuMs();
    const prepared = instances.map((xml) => prepareInstance(xml));
    const t1 = cpuMs();
    const checked = [];
    for (const p of prepared) checked.push(await checkInstance('p', p, null, reads));
    const t2 = cpuMs();
    for (const c of checked) projectInstance(c.read.instance.root, repeatPaths);
    const t3 = cpuMs();
    prepare += t1 - t0;
    check += t2 - t1;
    project += t3 - t2;
  }
  const runs = Math.ceil(iterations / instances.length) * instances.length;
  const us = (ms) => Math.round((ms * 1000 * 10) / runs) / 10;
  best.prepare = Math.min(best.prepare, us(prepare));
  best.check = Math.min(best.check, us(check));
  best.project = Math.min(best.project, us(project));
  best.total = Math.min(best.total, us(prepare + check + project));
}
process.stdout.write(
  `${JSON.stringify({ iterations, rounds: Number(opts.rounds), us_per_instance: best, server_dist: dist })}\n`,
);
