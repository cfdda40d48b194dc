// Shared by `npm start` and `npm test`: on a fresh clone (no node_modules) or after the lock file
// changed, run `npm ci` first, so that each of the README's two commands works as the first command.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** True when `npm ci` has never run here, or ran before the lock file last changed. */
export function needsInstall(directory = root) {
  const installed = `${directory}node_modules/.package-lock.json`;
  const lock = `${directory}package-lock.json`;
  return !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
}

/** Runs `npm ci` when needed; exits the process with npm's status when it fails. */
export function ensureInstalled(caller) {
  if (!needsInstall()) return;
  process.stdout.write('» installing dependencies (npm ci)\n');
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`${caller}: "npm ci" failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(result.status ?? 1);
  }
}
