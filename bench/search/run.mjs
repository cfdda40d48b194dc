// Case search on the device: Outpost's core search against MiniSearch and FlexSearch, given the
// same folding of names, over the same synthetic caseload and queries, in headless Debian
// Chromium (quality target P5). Prints one JSON array, one object per engine; asserts nothing.
// Usage: npm run bench:search -- --cases 100000 [--queries 200] [--json]
import { createServer } from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
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
    queries: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
});
const cases = Number(values.cases);
const queries = Number(values.queries);
for (const [flag, n] of [
  ['--cases', cases],
  ['--queries', queries],
]) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number above 0`);
}
const log = (line) => process.stderr.write(`${line}\n`);

const outDir = await mkdtemp(join(tmpdir(), 'outpost-search-bench-'));
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
  const url = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...quietChromiumFlags, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => globalThis.benchReady === true);
  log(`search bench: ${cases} cases, ${queries} queries per kind`);
  const results = await page.evaluate(([n, q]) => globalThis.runBench(n, q), [cases, queries]);
  process.stdout.write(
    values.json ? `${JSON.stringify(results, null, 2)}\n` : `${results.map((r) => JSON.stringify(r)).join('\n')}\n`,
  );
} finally {
  await browser?.close();
  server.close();
  await rm(outDir, { recursive: true, force: true });
}
