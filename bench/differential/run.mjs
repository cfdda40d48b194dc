// Differential benchmark (issue 14): the compiled validator against the ODK engine, longer than the
// test does in CI. Runs packages/server/src/forms/compiled/differential.test.ts (every template
// form and pyxform fixture, generated instances judged by both) with more instances per form and
// several seeds, and prints the counts: instances generated and compared per form, differences
// (each with its seed, to replay with OUTPOST_DIFF_SEED), the time each validator took, seconds.
//
//   npm run bench:differential -- --runs 50 --seeds 4 [--seed 1] [--forms household,pyxform/]
//
// Needs `npx tsc -b` first (the engine runs as the test runs it). Prints JSON on stdout; the test
// runner's output goes to stderr. Exits 1 when a difference was found.
import { spawn } from 'node:child_process';
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
  },
});
for (const [name, value] of Object.entries({ runs: opts.runs, seeds: opts.seeds, seed: opts.seed })) {
  if (!/^\d+$/.test(value)) throw new Error(`--${name} N: a whole number`);
}
const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'outpost-differential-bench-'));
const report = join(dir, 'report.json');
const started = performance.now();
try {
  const code = await new Promise((resolve, reject) => {
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
          OUTPOST_DIFF_SEEDS: opts.seeds,
          OUTPOST_DIFF_SEED: opts.seed,
          OUTPOST_DIFF_REPORT: report,
          ...(opts.forms === '' ? {} : { OUTPOST_DIFF_FORMS: opts.forms }),
        },
      },
    );
    child.on('error', reject);
    child.on('exit', resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  const text = await readFile(report, 'utf8').catch(() => null);
  if (text === null) {
    // The test process died before its end (it ran out of heap on a long run: see docs/benchmarks.md).
    process.stdout.write(`${JSON.stringify({ error: `the test run ended without a report (exit ${code})` })}\n`);
    process.exit(1);
  }
  const r = JSON.parse(text);
  const result = {
    runs_per_form_and_seed: r.runsPerForm,
    seeds: r.seeds,
    forms: r.forms,
    instances: r.instances,
    compared: r.compared,
    misshapen: r.misshapen,
    valid: r.valid,
    invalid: r.invalid,
    differences: r.differences,
    difference_details: r.differenceDetails.map((d) => ({
      form: d.form,
      seed: d.seed,
      detail: d.detail.slice(0, 2000),
    })),
    engine_ms_per_instance: Math.round((r.engineMs / Math.max(1, r.compared)) * 100) / 100,
    compiled_ms_per_instance: Math.round((r.compiledMs / Math.max(1, r.compared)) * 1000) / 1000,
    per_form: r.perForm,
    seconds: Math.round(seconds),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = code === 0 && r.differences === 0 ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
