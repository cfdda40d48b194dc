// A published form version is immutable: the server refuses the same version with another XForm
// (`form.version-exists`), so a database seeded by an older build would keep the old form and
// refuse the new one. This test keeps each template form's version honest: `form-versions.json`
// records, per form, the version and the SHA-256 of the XForm it compiles to. A changed XForm under
// the same version fails here, with what to do.
//
//   OUTPOST_RECORD_FORM_VERSIONS=1 npx vitest run --project unit templates/src/formVersions.test.ts
// records the hashes of forms whose version was raised (it never records a change without one).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, compileXlsform } from './compileTemplate.test-support.js';
import { templates } from './index.js';

interface Recorded {
  version: string;
  xformSha256: string;
}

const listFile = fileURLToPath(new URL('../form-versions.json', import.meta.url));
const recorded = JSON.parse(readFileSync(listFile, 'utf8')) as Record<string, Recorded>;
const recording = process.env['OUTPOST_RECORD_FORM_VERSIONS'] === '1';
const definitions = Object.values(templates).flatMap((t) => t.definitions.map((d) => [t.name, d.formId, d] as const));
const next: Record<string, Recorded> = { ...recorded };

interface VersionProblem {
  /** `raised` and `unlisted` may be recorded; the others need a new version in the form. */
  kind: 'unlisted' | 'changed' | 'lowered' | 'raised';
  message: string;
}

/** What is wrong with a form's version against the list; null when nothing is. */
function versionProblem(formId: string, current: Recorded, previous: Recorded | undefined): VersionProblem | null {
  const fix = `Raise \`version\` of ${formId} in templates/src/<template>/forms.ts, run \`node templates/scripts/build-forms.mjs\`, then record it with OUTPOST_RECORD_FORM_VERSIONS=1 (see templates/README.md).`;
  if (previous === undefined)
    return { kind: 'unlisted', message: `${formId} is not in templates/form-versions.json. ${fix}` };
  if (current.version === previous.version) {
    return current.xformSha256 === previous.xformSha256
      ? null
      : {
          kind: 'changed',
          message: `The XForm of ${formId} changed but its version is still ${current.version}: a server that published ${current.version} before refuses the new form. ${fix}`,
        };
  }
  if (current.version <= previous.version) {
    return {
      kind: 'lowered',
      message: `${formId}'s version went from ${previous.version} to ${current.version}: versions only go up (devices and servers compare them).`,
    };
  }
  return {
    kind: 'raised',
    message: `${formId}'s version was raised to ${current.version}: record its XForm with OUTPOST_RECORD_FORM_VERSIONS=1.`,
  };
}

describe('versionProblem', () => {
  const v1 = { version: '2026120701', xformSha256: 'aa' };
  it('passes an unchanged form, fails a changed one under the same version, and a lowered version', () => {
    expect(versionProblem('mn_visit', v1, v1)).toBeNull();
    const changed = versionProblem('mn_visit', { ...v1, xformSha256: 'bb' }, v1);
    expect(changed?.kind).toBe('changed');
    expect(changed?.message).toMatch(
      /^The XForm of mn_visit changed but its version is still 2026120701.*Raise `version`/,
    );
    expect(versionProblem('mn_visit', { version: '2026110101', xformSha256: 'bb' }, v1)?.kind).toBe('lowered');
    expect(versionProblem('mn_visit', { version: '2026120801', xformSha256: 'bb' }, v1)?.kind).toBe('raised');
    expect(versionProblem('mn_new', v1, undefined)?.kind).toBe('unlisted');
  });
});

describe.skipIf(compileXlsform === undefined)('template form versions', () => {
  afterAll(() => {
    if (recording) writeFileSync(listFile, `${JSON.stringify(next, null, 2)}\n`);
  });

  it('lists exactly the template forms', () => {
    if (recording) return;
    expect(Object.keys(recorded).sort()).toEqual(definitions.map(([, formId]) => formId).sort());
  });

  it.each(definitions)('%s/%s: a changed XForm comes with a raised version', async (_t, formId, form) => {
    const result = await compile(form);
    expect(result.errors ?? []).toEqual([]);
    const current = {
      version: form.version,
      xformSha256: createHash('sha256')
        .update(result.xform ?? '')
        .digest('hex'),
    };
    const problem = versionProblem(formId, current, recorded[formId]);
    if (recording && (problem?.kind === 'raised' || problem?.kind === 'unlisted')) {
      next[formId] = current;
      return;
    }
    if (problem !== null) expect.fail(problem.message);
  });
});
