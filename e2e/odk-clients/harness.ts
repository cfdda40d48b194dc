// Test support: bundles the ODK Web Forms and Enketo harness pages with vite at test time and
// serves them to a browser page on the Outpost server's own origin (through playwright's routing),
// so the ODK clients reach the OpenRosa routes as same-origin requests, as they would behind one host.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Where the harness pages are served under the server's origin. */
export const HARNESS_PATH = '/__odk-harness/';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

export interface Harness {
  /** Serves the built pages to `page` under `origin` + HARNESS_PATH. */
  serve(page: Page, origin: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds `web-forms.html` and `enketo.html` (with their npm packages) into a temporary folder. */
export async function buildHarness(): Promise<Harness> {
  const outDir = await mkdtemp(join(tmpdir(), 'outpost-odk-harness-'));
  const core = join(here, '..', '..', 'node_modules', 'enketo-core');
  await build({
    root: here,
    base: HARNESS_PATH,
    logLevel: 'error',
    configFile: false,
    // enketo-core names its pluggable modules in its package.json "browser" field; spelt out here.
    resolve: {
      alias: {
        'enketo/config': join(core, 'config.js'),
        'enketo/widgets': join(core, 'src/js/widgets.js'),
        'enketo/translator': join(core, 'src/js/fake-translator.js'),
        'enketo/dialog': join(core, 'src/js/fake-dialog.js'),
        'enketo/file-manager': join(core, 'src/js/file-manager.js'),
        'enketo/xpath-evaluator-binding': join(core, 'src/js/xpath-evaluator-binding.js'),
      },
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 100_000,
      rollupOptions: { input: { webForms: join(here, 'web-forms.html'), enketo: join(here, 'enketo.html') } },
    },
  });
  return {
    async serve(page, origin) {
      await page.route(`${origin}${HARNESS_PATH}**`, async (route) => {
        const path = normalize(decodeURIComponent(new URL(route.request().url()).pathname.slice(HARNESS_PATH.length)));
        if (path.startsWith('..')) return route.fulfill({ status: 404 });
        try {
          const body = await readFile(join(outDir, path));
          return route.fulfill({ status: 200, body, contentType: types[extname(path)] ?? 'application/octet-stream' });
        } catch {
          return route.fulfill({ status: 404 });
        }
      });
    },
    close: () => rm(outDir, { recursive: true, force: true }),
  };
}
