import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { problemCatalogue } from '@outpost/core';
import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../transport/ApiProblem.js';
import { en } from '../i18n/en.js';
import { createI18n } from '../i18n/createI18n.js';
import { problemMessage, problemText } from './problemMessage.js';

const srcRoot = fileURLToPath(new URL('../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$|test-support/.test(entry.name) ? [path] : [];
  });
}

/** Codes the app makes up itself (`code: 'network.unreachable'`, `problem(404, 'form.not-found', …)`). */
function codesMadeOnTheDevice(): string[] {
  const codes = new Set<string>();
  for (const file of sourceFiles(srcRoot)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/code: '([a-z]+\.[a-z-]+)'/g)) codes.add(m[1] ?? '');
    for (const m of text.matchAll(/problem\(\d{3}, '([a-z]+\.[a-z-]+)'/g)) codes.add(m[1] ?? '');
  }
  return [...codes].sort();
}

const problem = (code: string, extra: { detail?: string; field?: string } = {}): ApiProblem =>
  new ApiProblem({ type: 'about:blank', title: 'Server title', status: 400, code, ...extra });

describe('problem messages', () => {
  it('has a message for every problem code the server can send', () => {
    const missing = Object.keys(problemCatalogue).filter((code) => !Object.hasOwn(en, `problem.${code}`));
    expect(missing).toEqual([]);
  });

  it('has a message for every problem code the app makes up itself', () => {
    const made = codesMadeOnTheDevice();
    expect(made).toContain('network.unreachable');
    expect(made).toContain('device.storage-full');
    expect(made.filter((code) => !Object.hasOwn(en, `problem.${code}`))).toEqual([]);
  });

  it('never shows a raw code: an unknown one reads as the generic message in the chosen language', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn' });
    expect(problemText(i18n, 'sync.field-not-allowed')).toBe(
      'Энэ маягт таны эрхээр өөрчилж болохгүй мэдээллийг өөрчилж байна.',
    );
    expect(problemText(i18n, 'made.up-code')).toBe('Алдаа гарлаа.');
    expect(problemMessage(i18n, problem('made.up-code', { detail: 'Server words' }))).toEqual({
      message: 'Алдаа гарлаа.',
      detail: undefined,
    });
  });

  it('shows the server detail beneath in English only, and a field-specific message when there is one', () => {
    const refusal = problem('user.invalid', {
      field: 'password',
      detail: 'The password must have at least 10 characters.',
    });
    expect(problemMessage(createI18n({ navigatorLanguage: 'mn' }), refusal)).toEqual({
      message: 'Нууц үг дор хаяж 10 тэмдэгттэй, түгээмэл нууц үг биш, нэвтрэх нэрийг агуулаагүй байх ёстой.',
      detail: undefined,
    });
    expect(problemMessage(createI18n({ navigatorLanguage: 'en' }), refusal).detail).toBe(
      'The password must have at least 10 characters.',
    );
    // A field that is a JSON pointer or XForm path is not a catalog key.
    expect(problemText(createI18n({ navigatorLanguage: 'en' }), 'sync.field-not-allowed', '/areaPath')).toBe(
      'This form sets something your role may not change.',
    );
  });
});
