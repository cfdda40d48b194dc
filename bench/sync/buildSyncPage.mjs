import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'vite';

const require = createRequire(import.meta.url);

/** Bundles page/ (both clients) with vite into a fresh temp folder and returns that folder. */
export async function buildSyncPage() {
  const outDir = await mkdtemp(join(tmpdir(), 'outpost-sync-bench-page-'));
  await build({
    root: fileURLToPath(new URL('./page/', import.meta.url)),
    configFile: false,
    logLevel: 'warn',
    // PouchDB's browser build still reads Node's `global` in places.
    define: { global: 'globalThis' },
    // …and Node's EventEmitter, which vite would otherwise replace with an empty stub.
    resolve: { alias: { events: require.resolve('events/') } },
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: true, reportCompressedSize: false },
  });
  return outDir;
}
