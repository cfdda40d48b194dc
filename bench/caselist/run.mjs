// The tablet case list (issue 11) in headless Debian Chromium: the device caseload (index, rows,
// overview counts, sorts, filters, search, an incremental update) over N households against core's
// bare index, and the virtualized list drawn and scrolled against a plain table of --plain rows.
// Prints one JSON array; asserts nothing. Usage: npm run bench:caselist -- --cases 100000 [--plain 5000] [--json]
import { createServer } from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import solid from 'vite-plugin-solid';
import { chromiumPath, quietChromiumFlags } from '../../e2e/chromium.mjs';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    plain: { type: 'string', default: '5000' },
    json: { type: 'boolean', default: false },
  },
});
const cases = Number(values.cases);
const plain = Number(values.plain);
for (const [flag, n] of [
  ['--cases', cases],
  ['--plain', plain],
]) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number above 0`);
}
const log = (line) => process.stderr.write(`${line}\n`);

const outDir = await mkdtemp(join(tmpdir(), 'outpost-caselist-bench-'));
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = path === '/' ? 'index.html' : path;
  try {
    const body = await readFile(join(outDir, file));
    const type =
      { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ??
      'application/octet-stream';
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
    plugins: [solid()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: true, reportCompressedSize: false },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [...quietChromiumFlags, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  await page.goto(url);
  await page.waitForFunction(() => globalThis.benchReady === true);
  log(`case list bench: ${cases} cases, plain table of ${Math.min(plain, cases)} rows`);
  const results = await page.evaluate(([n, p]) => globalThis.runBench(n, p), [cases, plain]);
  process.stdout.write(
    values.json ? `${JSON.stringify(results, null, 2)}\n` : `${results.map((r) => JSON.stringify(r)).join('\n')}\n`,
  );
} finally {
  await browser?.close();
  server.close();
  await rm(outDir, { recursive: true, force: true });
}
