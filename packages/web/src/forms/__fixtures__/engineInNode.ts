// The engine runs in Node for unit tests under jsdom, given the two globals its bundled
// web-tree-sitter (Emscripten) looks for to find its WebAssembly outside a browser.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const globals = globalThis as Record<string, unknown>;
const require = createRequire(import.meta.url);
const enginePath = require.resolve('@getodk/xforms-engine');
globals['__dirname'] ??= dirname(enginePath);
globals['require'] ??= createRequire(enginePath);
