import type { CliIo } from './io.js';

/** A CliIo that keeps what the command printed, for tests that run the CLI in-process. */
export function captureIo(
  env: Record<string, string> = {},
  stdin = '',
): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env,
    readStdin: () => Promise.resolve(stdin),
    stdout: () => out,
    stderr: () => err,
  };
}

/** The path of a template's XLSForm, e.g. `templateForm('mongolia-social-protection', 'visit')`. */
export function templateForm(template: string, form: string): string {
  return new URL(`../../../templates/${template}/forms/${form}.xlsx`, import.meta.url).pathname;
}
