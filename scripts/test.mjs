// `npm test`: every check and every test, in the order that fails fastest.
// Unit tests (SQLite included), the PostgreSQL suites (OUTPOST_TEST_PG_URL, default the local
// server) and the browser tests (Debian Chromium) all run; none is skipped silently.
import { spawnSync } from 'node:child_process';
import { ensureInstalled, root } from './install.mjs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const steps = [
  ['build', npm, ['run', '--silent', 'build']],
  ['lint', npm, ['run', '--silent', 'lint']],
  ['unit and SQLite tests', npx, ['vitest', 'run', '--project', 'unit']],
  ['PostgreSQL tests', npx, ['vitest', 'run', '--project', 'pg']],
  ['browser tests', npx, ['vitest', 'run', '--project', 'e2e']],
];

ensureInstalled('npm test');

const only = process.argv[2];
const failed = [];
for (const [label, command, args] of steps) {
  if (only && !label.startsWith(only)) continue;
  process.stdout.write(`\n» ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, TZ: 'UTC' } });
  if (result.status !== 0) {
    failed.push(label);
    // A broken build or lint makes the rest meaningless.
    if (label === 'build') break;
  }
}
if (failed.length > 0) {
  process.stderr.write(`\nnpm test: failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write('\nnpm test: all steps passed\n');
