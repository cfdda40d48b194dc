// Follow-up tasks on the device (issue 11, P5): N sealed cases in IndexedDB → the grouped task
// list, in headless Debian Chromium; Outpost's computeTasks against the obvious Date-based way, on
// the same records in the same run. Prints one JSON array, one object per engine; asserts nothing.
// Usage: npm run bench:tasks -- [--cases 10000] [--rounds 5] [--json]
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumPath, quietChromiumFlags } from '../../e2e/chromium.mjs';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const cases = Number(values.cases);
const rounds = Number(values.rounds);
for (const [flag, n] of [
  ['--cases', cases],
  ['--rounds', rounds],
]) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number above 0`);
}

const outDir = await mkdtemp(join(tmpdir(), 'outpost-tasks-bench-'));
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = path === '/' ? 'index.html' : path;
  try {
    const body = await readFile(join(outDir, file));
    const type = { '.html': 'text/html', '.js': 'text/javascript' }[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
let browser;
try {
  await build({
    root: fileURLToPath(new URL('./page/', import.meta.url)),
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: true, reportCompressedSize: false },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...quietChromiumFlags] });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => globalThis.benchReady === true);
  process.stderr.write(`tasks bench: ${cases} sealed cases, ${rounds} rounds\n`);
  const results = await page.evaluate(([n, r]) => globalThis.runBench(n, r), [cases, rounds]);
  process.stdout.write(
    values.json ? `${JSON.stringify(results, null, 2)}\n` : `${results.map((x) => JSON.stringify(x)).join('\n')}\n`,
  );
} finally {
  await browser?.close();
  server.close();
  await rm(outDir, { recursive: true, force: true });
}
