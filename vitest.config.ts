import { defineConfig } from 'vitest/config';

// Test file suffix says what a test needs:
//   *.test.ts          node only (SQLite in a temp dir is fine)
//   *.pg.test.ts       the PostgreSQL at OUTPOST_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test)
//   e2e/*.e2e.test.ts  a built server and Debian Chromium via playwright-core
const source = { conditions: ['source'] };
export default defineConfig({
  resolve: source,
  test: {
    env: { TZ: 'UTC' },
    projects: [
      {
        resolve: source,
        ssr: { resolve: source },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'templates/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.pg.test.ts', '**/node_modules/**'],
          env: { TZ: 'UTC' },
          testTimeout: 30_000,
        },
      },
      {
        resolve: source,
        ssr: { resolve: source },
        test: {
          name: 'pg',
          include: ['packages/*/src/**/*.pg.test.ts'],
          env: { TZ: 'UTC' },
          testTimeout: 30_000,
          fileParallelism: false,
        },
      },
      {
        resolve: source,
        ssr: { resolve: source },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          env: { TZ: 'UTC' },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
