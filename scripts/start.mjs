// `npm start`: from a fresh clone, install what is missing, build, then serve Outpost on the
// embedded SQLite database with demo data. Extra arguments go to `outpost start`.
import { spawn, spawnSync } from 'node:child_process';
import { ensureInstalled, root } from './install.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(label, command, args) {
  process.stdout.write(`» ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`npm start: "${label}" failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(result.status ?? 1);
  }
}

ensureInstalled('npm start');
step('building', npm, ['run', '--silent', 'build']);

const args = ['packages/cli/dist/main.js', 'start', '--demo', ...process.argv.slice(2)];
const server = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
