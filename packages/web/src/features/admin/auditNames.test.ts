import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.js';

// The server is another package: its sources are read as text, never imported.
const serverSrc = fileURLToPath(new URL('../../../../server/src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.ts') && !/\.test\.ts$|test-support/.test(entry.name) ? [path] : [];
  });
}

/** Every audit action the server writes: the `action` of an appendAuditEvent call (also `a ? 'x' : 'y'`). */
function auditedActions(): string[] {
  const actions = new Set<string>();
  for (const file of files(serverSrc)) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/appendAuditEvent\(/g)) {
      const args = text.slice(call.index, call.index + 400);
      const action = /action:\s*([^,\n]+(?:\n[^,\n]*\?[^,\n]+)?)/.exec(args)?.[1] ?? '';
      for (const m of action.matchAll(/'([a-z]+\.[a-z-]+)'/g)) actions.add(m[1] ?? '');
    }
  }
  return [...actions].sort();
}

describe('audit action names', () => {
  it('has words for every action the server records', () => {
    const actions = auditedActions();
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'case.list', 'user.disabled', 'attachment.read']));
    expect(actions.filter((action) => !Object.hasOwn(en, `audit.action.${action}`))).toEqual([]);
  });
});
