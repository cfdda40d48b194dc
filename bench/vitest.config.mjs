// The benchmark's own smoke tests, kept out of the root projects: `npx vitest run --config bench/vitest.config.mjs`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['bench/**/*.test.mjs'], root: new URL('..', import.meta.url).pathname, testTimeout: 10_000 },
});
