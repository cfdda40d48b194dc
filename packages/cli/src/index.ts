export { buildProgram, run } from './program.js';
export type { CliIo } from './io.js';
export { CliError } from './io.js';
export { seedTemplate, seedDemoIfEmpty, demoUsers, demoPassword } from './commands/seed.js';
