// Regenerates every template's XLSForm workbooks from the TypeScript definitions in src/.
//   node templates/scripts/build-forms.mjs
// Vite's module runner loads the TypeScript sources directly, so no build step comes first.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { writeFormWorkbook } from './writeFormWorkbook.mjs';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));

const { module } = await runnerImport(fileURLToPath(new URL('../src/index.ts', import.meta.url)), {
  configFile: false,
  logLevel: 'error',
});

for (const template of Object.values(module.templates)) {
  for (const definition of template.definitions) {
    const file = `${packageRoot}${definition.file}`;
    await mkdir(dirname(file), { recursive: true });
    await writeFormWorkbook(module.formSheets(definition), file);
    console.log(`wrote ${definition.file}`);
  }
}
