// The dependency rule of docs/architecture.md, checked rather than remembered:
// - core imports no node:* or Node built-in, no DOM-only module, no workspace package;
// - each workspace imports only the workspaces it is allowed to;
// - nothing reaches into another package's files (deep imports or ../../other/src paths);
// - application code never imports test-kit;
// - the server's storage layer imports nothing of the server outside storage (filters, policy
//   decisions and the like reach it as data).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const allowed = {
  core: [],
  templates: ['core'],
  'test-kit': ['core', 'server'],
  server: ['core'],
  cli: ['core', 'server', 'templates'],
  web: ['core'],
};
const folders = {
  core: 'packages/core/src',
  templates: 'templates/src',
  'test-kit': 'packages/test-kit/src',
  server: 'packages/server/src',
  cli: 'packages/cli/src',
  web: 'packages/web/src',
};
const builtins = new Set(builtinModules);
const importPattern =
  /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) yield full;
  }
}

export function violations(pkg, file, source) {
  file = path.resolve(root, file);
  const found = [];
  // Tests and their support files (excluded from builds) may use test-kit.
  const isTest = /\.test(-support)?\.(tsx?|mjs)$/.test(file);
  for (const match of source.matchAll(importPattern)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (!spec) continue;
    const where = `${path.relative(root, file)}: imports "${spec}"`;
    const bare = spec.startsWith('node:') ? spec.slice(5) : spec.split('/')[0];
    if (pkg === 'core' && !isTest && (spec.startsWith('node:') || builtins.has(bare))) {
      found.push(`${where}: core must not use Node built-ins`);
    }
    const ws = /^@outpost\/([^/]+)(\/.*)?$/.exec(spec);
    if (ws) {
      const [, target, deep] = ws;
      if (deep) found.push(`${where}: import the package's public entry, not its files`);
      if (target === 'test-kit' && !isTest) found.push(`${where}: only tests may import test-kit`);
      else if (target !== pkg && target !== 'test-kit' && !allowed[pkg].includes(target)) {
        found.push(`${where}: ${pkg} may import only ${allowed[pkg].join(', ') || 'no workspace package'}`);
      }
    }
    if (spec.startsWith('.')) {
      const resolved = path.resolve(path.dirname(file), spec);
      // Anything inside the package's own folder (src/, scripts/, fixtures) is its own business.
      const own = path.join(root, path.dirname(folders[pkg])) + path.sep;
      if (!resolved.startsWith(own)) found.push(`${where}: relative import leaves the package`);
      const storage = path.join(root, folders.server, 'storage') + path.sep;
      if (pkg === 'server' && !isTest && file.startsWith(storage) && !resolved.startsWith(storage)) {
        found.push(`${where}: storage may not import the layers above it`);
      }
    }
  }
  return found;
}

export function checkAll() {
  const problems = [];
  for (const [pkg, folder] of Object.entries(folders)) {
    const dir = path.join(root, folder);
    try {
      statSync(dir);
    } catch {
      continue;
    }
    for (const file of files(dir)) problems.push(...violations(pkg, file, readFileSync(file, 'utf8')));
  }
  return problems;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = checkAll();
  if (problems.length > 0) {
    process.stderr.write(`Dependency rule broken (docs/architecture.md):\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write('dependency rule: ok\n');
}
