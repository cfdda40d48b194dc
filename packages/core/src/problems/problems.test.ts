import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProblemError, problem, problemCatalogue, renderErrorsDoc } from './problems.js';

describe('problem catalogue', () => {
  it('is documented: docs/errors.md is what the catalogue renders (npm run docs:errors)', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderErrorsDoc());
  });

  it('gives every code a client-error or server-error status, a title and a description', () => {
    for (const [code, def] of Object.entries(problemCatalogue)) {
      expect(code).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(def.status).toBeGreaterThanOrEqual(400);
      expect(def.status).toBeLessThan(600);
      expect(def.title.length).toBeGreaterThan(3);
      expect(def.description.length).toBeGreaterThan(10);
    }
  });

  it('builds RFC 9457 bodies carrying the stable code', () => {
    expect(problem('auth.locked', 'wait')).toEqual({
      type: 'https://outpost.invalid/problems/auth.locked',
      title: 'Too many failed logins',
      status: 429,
      code: 'auth.locked',
      detail: 'wait',
    });
    expect(new ProblemError('request.invalid', 'bad', { field: '/name' }).problem.field).toBe('/name');
  });
});
