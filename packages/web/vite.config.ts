import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';

const serviceWorkerSource = fileURLToPath(new URL('./src/sw/serviceWorker.ts', import.meta.url));
const serviceWorkerFile = 'sw.js';

/**
 * Builds src/sw/serviceWorker.ts into dist/sw.js (a fixed name: the registration URL must not change)
 * and writes the list of files to precache, with a version hash, into it.
 */
function serviceWorker(): Plugin {
  let publicFiles: string[] = [];
  return {
    name: 'outpost-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      publicFiles = config.publicDir
        ? readdirSync(config.publicDir, { recursive: true, withFileTypes: true })
            .filter((entry) => entry.isFile())
            .map((entry) => `${entry.parentPath}/${entry.name}`.slice(config.publicDir.length).replaceAll('\\', '/'))
        : [];
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: serviceWorkerSource, fileName: serviceWorkerFile });
    },
    generateBundle(_options, bundle) {
      const worker = bundle[serviceWorkerFile];
      if (!worker || worker.type !== 'chunk') this.error(`${serviceWorkerFile} was not built`);
      if (worker.imports.length > 0) this.error(`${serviceWorkerFile} must not import other chunks`);
      const files = Object.keys(bundle)
        .filter((name) => name !== serviceWorkerFile && !name.endsWith('.map'))
        .map((name) => `/${name}`);
      const precache = [...new Set(['/index.html', ...publicFiles, ...files])].sort();
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 16);
      worker.code = worker.code
        .replaceAll('__OUTPOST_PRECACHE__', JSON.stringify(precache))
        .replaceAll('__OUTPOST_VERSION__', JSON.stringify(version));
    },
  };
}

export default defineConfig({
  plugins: [solid(), serviceWorker()],
  build: {
    target: 'es2022',
    sourcemap: true,
    // Inline data: URLs would be fine under the CSP, but separate files cache better in the worker.
    assetsInlineLimit: 0,
    // The form engine and MapLibre are large on purpose and load lazily; the warning says nothing new.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      onwarn(warning, warn) {
        // The ODK engine's bundled runtime holds two eval() calls it never reaches (its XPath parser
        // is WebAssembly); the CSP forbids JavaScript eval in any case.
        if (warning.code === 'EVAL' && (warning.id ?? '').includes('@getodk')) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': process.env['OUTPOST_API'] ?? 'http://127.0.0.1:8080' },
  },
});
