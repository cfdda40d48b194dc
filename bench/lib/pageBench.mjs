// What the in-browser benchmarks (tasks, caselist, search) share: their count flags, and building
// a page folder with Vite, serving it on a free local port and running its `runBench` in headless
// Debian Chromium. The page sets `globalThis.benchReady` and defines `globalThis.runBench(...args)`
// returning an array of result objects; those are printed to stdout as JSON.
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumPath, quietChromiumFlags } from '../../e2e/chromium.mjs';

/**
 * Parses `--json` and the whole-number flags named in `defaults` (name → default as text); throws
 * when one is not a whole number above 0. Returns the numbers by name and `json`.
 */
export function countFlags(defaults) {
  const options = { json: { type: 'boolean', default: false } };
  for (const [name, value] of Object.entries(defaults)) options[name] = { type: 'string', default: value };
  const { values } = parseArgs({ options });
  const counts = {};
  for (const name of Object.keys(defaults)) {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number above 0`);
    counts[name] = n;
  }
  return { ...counts, json: values.json };
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serveFolder(dir) {
  return createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = path === '/' ? 'index.html' : path;
    try {
      const body = await readFile(join(dir, file));
      const type = types[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
}

/**
 * Builds `page` (a folder URL) with Vite and the given plugins, opens it in Chromium (with extra
 * `chromiumArgs` and an optional `viewport`), writes `banner` to stderr, runs
 * `runBench(...args)` in the page and prints its results: pretty JSON with `json`, else one line
 * per result. Cleans up the build folder, server and browser whatever happens.
 */
export async function runPageBench({ name, page, plugins = [], chromiumArgs = [], viewport, banner, args, json }) {
  const outDir = await mkdtemp(join(tmpdir(), `outpost-${name}-bench-`));
  const server = serveFolder(outDir);
  let browser;
  try {
    await build({
      root: fileURLToPath(page),
      configFile: false,
      plugins,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022', minify: true, reportCompressedSize: false },
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: chromiumPath, args: [...quietChromiumFlags, ...chromiumArgs] });
    const tab = await browser.newPage(viewport === undefined ? undefined : { viewport });
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => globalThis.benchReady === true);
    process.stderr.write(`${banner}\n`);
    const results = await tab.evaluate((a) => globalThis.runBench(...a), args);
    process.stdout.write(
      json ? `${JSON.stringify(results, null, 2)}\n` : `${results.map((r) => JSON.stringify(r)).join('\n')}\n`,
    );
  } finally {
    await browser?.close();
    server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}
