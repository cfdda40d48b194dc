// The public contract of @outpost/core. Pure TypeScript: no node:*, no DOM, no I/O.
export * from './problems/problems.js';
export * from './policy/index.js';
export * from './geo/index.js';
export * from './xlsform/index.js';
export * from './protocol/index.js';
export * from './search/index.js';
export * from './entities/index.js';
export * from './xml/index.js';
export * from './csv/csvField.js';
