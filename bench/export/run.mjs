// Export benchmark (issue 12, P10): N submissions of the Mongolia household registration form,
// exported to ODK Central's .csv.zip (exportForm, as `outpost export` runs it) and read through
// the OData feed's server-driven paging (every field, Basic authentication, over HTTP). Each step
// runs in a process of its own; its peak RSS is that process's.
//
//   npm run bench:export -- --submissions 100000 --json
//
// Needs `npx tsc -b packages/server` (the server runs from dist/). Prints JSON on stdout with
// --json, a short table otherwise; progress on stderr.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    submissions: { type: 'string', default: '100000' },
    skip: { type: 'string', default: '' },
    json: { type: 'boolean', default: false },
  },
});
const submissions = Number(opts.submissions);
if (!Number.isInteger(submissions) || submissions < 1) throw new Error('--submissions N: a whole number ≥ 1');
const skipped = new Set(opts.skip.split(',').filter((s) => s !== ''));
const phaseScript = fileURLToPath(new URL('./phase.mjs', import.meta.url));

function runPhase(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [phaseScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`phase ${args[0]} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'outpost-export-bench-'));
try {
  const generated = await runPhase(['generate', dir, String(submissions)]);
  process.stderr.write(`generated ${submissions} submissions in ${generated.seconds.toFixed(1)} s\n`);
  const round = (r) => ({ ...r, seconds: Math.round(r.seconds * 100) / 100 });
  const csv = skipped.has('csv') ? null : round(await runPhase(['csv', dir]));
  const odata = skipped.has('odata') ? null : round(await runPhase(['odata', dir, generated.feedKey]));
  const result = { submissions, csv, odata, generate_seconds: Math.round(generated.seconds * 10) / 10 };
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`submissions: ${submissions}\n`);
    for (const [name, r] of [
      ['csv', csv],
      ['odata', odata],
    ]) {
      if (r !== null) process.stdout.write(`${name.padEnd(6)} ${r.seconds} s, peak RSS ${r.peak_rss_mb} MB\n`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
