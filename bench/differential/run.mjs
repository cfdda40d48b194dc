// Differential benchmark (issue 14): the compiled validator against the ODK engine, longer than the
// test does in CI. Runs packages/server/src/forms/compiled/differential.test.ts (every template
// form and pyxform fixture, generated instances judged by both) with more instances per form and
// several seeds, one test process per seed (a single process over many seeds ran out of heap), and
// prints the counts added up: instances generated and compared per form, differences (each with
// its seed, to replay with OUTPOST_DIFF_SEED; `verdict` when one validator accepts what the other
// refuses, `field` when both refuse with different violations), the time each validator took,
// the test processes' CPU seconds, seconds.
//
//   npm run bench:differential -- --runs 50 --seeds 4 [--seed 1] [--forms household,pyxform/] [--jobs 1]
//
// Needs `npx tsc -b` first (the engine runs as the test runs it). Prints JSON on stdout; the test
// runners' output goes to stderr. Exits 1 when a difference was found, a test process died without
// its report, or no instance was valid (or none invalid) in the whole run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    seeds: { type: 'string', default: '4' },
    seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
    forms: { type: 'string', default: '' },
    // Test processes at once (each runs one seed over every chosen form).
    jobs: { type: 'string', default: '1' },
    // One seed's time limit in a test process, seconds.
    'seed-timeout': { type: 'string', default: '7200' },
  },
});
for (const [name, value] of Object.entries(opts)) {
  if (name !== 'forms' && !/^\d+$/.test(value)) throw new Error(`--${name} N: a whole number`);
}
const repo = fileURLToPath(new URL('../../', import.meta.url));
const firstSeed = Number(opts.seed);
const seeds = Array.from({ length: Number(opts.seeds) }, (_, i) => firstSeed + i);
const dir = await mkdtemp(join(tmpdir(), 'outpost-differential-bench-'));
const started = performance.now();

/**
 * CPU seconds (user + system) of the test processes and theirs, once waited for: cutime and cstime
 * of /proc/self/stat (Linux; clock ticks of 1/100 s), null elsewhere.
 */
function childrenCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

/** One test process on one seed: its report (null when it died before writing one), exit code, CPU. */
function runSeed(seed) {
  const report = join(dir, `report-${seed}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(repo, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--project',
        'unit',
        'packages/server/src/forms/compiled/differential.test.ts',
      ],
      {
        cwd: repo,
        stdio: ['ignore', process.stderr, process.stderr],
        env: {
          ...process.env,
          OUTPOST_DIFF_RUNS: opts.runs,
          OUTPOST_DIFF_SEEDS: '1',
          OUTPOST_DIFF_SEED: String(seed),
          OUTPOST_DIFF_REPORT: report,
          OUTPOST_DIFF_TIMEOUT_S: opts['seed-timeout'],
          ...(opts.forms === '' ? {} : { OUTPOST_DIFF_FORMS: opts.forms }),
        },
      },
    );
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      readFile(report, 'utf8').then(
        (text) => resolve({ seed, code, signal, report: JSON.parse(text) }),
        () => resolve({ seed, code, signal, report: null }),
      );
    });
  });
}

const queue = [...seeds];
const results = [];
await Promise.all(
  Array.from({ length: Math.max(1, Math.min(Number(opts.jobs), seeds.length)) }, async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const r = await runSeed(seed);
      const brief =
        r.report === null ? 'no report' : `${r.report.compared} compared, ${r.report.differences} differences`;
      process.stderr.write(`differential bench: seed ${seed} done (exit ${r.code ?? r.signal}, ${brief})\n`);
      results.push(r);
    }
  }),
);
await rm(dir, { recursive: true, force: true });

const COUNTS = ['instances', 'compared', 'misshapen', 'unjudged', 'valid', 'invalid', 'differences'];
const KINDS = ['verdictDifferences', 'fieldDifferences', 'errors'];
const sum = Object.fromEntries([...COUNTS, ...KINDS, 'engineMs', 'compiledMs'].map((k) => [k, 0]));
const perForm = {};
const details = [];
for (const { report } of results) {
  if (report === null) continue;
  for (const k of Object.keys(sum)) sum[k] += report[k] ?? 0;
  for (const [form, c] of Object.entries(report.perForm)) {
    perForm[form] ??= Object.fromEntries([...COUNTS, ...KINDS].map((k) => [k, 0]));
    for (const k of Object.keys(perForm[form])) perForm[form][k] += c[k] ?? 0;
  }
  details.push(...report.differenceDetails);
}
const died = results
  .filter((r) => r.report === null)
  .map((r) => ({ seed: r.seed, exit: r.code ?? r.signal }))
  .sort((a, b) => a.seed - b.seed);
const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const result = {
  runs_per_form_and_seed: Number(opts.runs),
  seeds,
  forms: Object.keys(perForm).length,
  ...Object.fromEntries([...COUNTS, ...KINDS].map((k) => [snake(k), sum[k]])),
  difference_details: details
    .sort((a, b) => a.seed - b.seed || a.form.localeCompare(b.form))
    .map((d) => ({ form: d.form, seed: d.seed, kind: d.kind, detail: d.detail.slice(0, 2000) })),
  seeds_without_report: died,
  engine_ms_per_instance: Math.round((sum.engineMs / Math.max(1, sum.compared)) * 100) / 100,
  compiled_ms_per_instance: Math.round((sum.compiledMs / Math.max(1, sum.compared)) * 1000) / 1000,
  per_form: Object.fromEntries(
    Object.entries(perForm).map(([form, c]) => [
      form,
      Object.fromEntries(Object.entries(c).map(([k, v]) => [snake(k), v])),
    ]),
  ),
  test_processes: results.length,
  cpu_seconds: childrenCpuSeconds(),
  seconds: Math.round((performance.now() - started) / 1000),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
// A seed's own test may fail on few instances (none valid, say); the whole run must judge both kinds.
const ok = died.length === 0 && sum.differences === 0 && sum.valid > 0 && sum.invalid > 0;
process.exitCode = ok ? 0 : 1;
