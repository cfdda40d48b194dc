import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { checkAll, violations } from './check-deps.mjs';

const check = violations as (pkg: string, file: string, source: string) => string[];

describe('dependency rule check', () => {
  it('passes on the code as it is', () => {
    expect((checkAll as () => string[])()).toEqual([]);
  });

  it('rejects Node built-ins in core', () => {
    expect(check('core', 'packages/core/src/x.ts', "import fs from 'node:fs';")).toHaveLength(1);
    expect(check('core', 'packages/core/src/x.ts', "import { join } from 'path';")).toHaveLength(1);
  });

  it('rejects a workspace import the rule does not allow', () => {
    expect(check('core', 'packages/core/src/x.ts', "import { a } from '@outpost/server';")).toHaveLength(1);
    expect(check('server', 'packages/server/src/x.ts', "import { a } from '@outpost/cli';")).toHaveLength(1);
    expect(check('cli', 'packages/cli/src/x.ts', "import { a } from '@outpost/web';")).toHaveLength(1);
    expect(check('cli', 'packages/cli/src/x.ts', "import { a } from '@outpost/server';")).toEqual([]);
  });

  it('rejects deep imports and relative paths into another package', () => {
    expect(check('cli', 'packages/cli/src/x.ts', "import { a } from '@outpost/server/src/http/app.js';")).toHaveLength(
      1,
    );
    expect(check('cli', 'packages/cli/src/x.ts', "import { a } from '../../server/src/http/app.js';")).toHaveLength(1);
  });

  it('keeps test-kit out of application code but lets tests use it', () => {
    expect(check('server', 'packages/server/src/x.ts', "import { a } from '@outpost/test-kit';")).toHaveLength(1);
    expect(check('server', 'packages/server/src/x.test.ts', "import { a } from '@outpost/test-kit';")).toEqual([]);
  });

  it('keeps the storage layer from importing the server layers above it', () => {
    const file = 'packages/server/src/storage/queries/x.ts';
    expect(check('server', file, "import { a } from '../../policy/applyScopeFilter.js';")).toHaveLength(1);
    expect(check('server', file, "import { a } from './scopeFilter.js';")).toEqual([]);
    expect(check('server', file, "import type { Store } from '../store.js';")).toEqual([]);
    expect(
      check('server', 'packages/server/src/storage/queries/x.test.ts', "import { a } from '../../policy/recordOf.js';"),
    ).toEqual([]);
  });
});
