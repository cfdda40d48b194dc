import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, receiveSubmission } from '@outpost/server';
import type { CliIo } from '../io.js';
import { run } from '../program.js';

function io(): CliIo & { text: () => string } {
  let text = '';
  return {
    out: (t) => (text += t),
    err: (t) => (text += t),
    env: {},
    readStdin: () => Promise.resolve(''),
    text: () => text,
  };
}

/** A visit made offline in the branch of a registration that never reached the server. */
// The visit form's published version, as templates/form-versions.json lists it.
const visitVersion = (
  JSON.parse(readFileSync(new URL('../../../../templates/form-versions.json', import.meta.url), 'utf8')) as Record<
    string,
    { version: string }
  >
)['mn_visit']?.version;

function orphanVisit(caseId: string): string {
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_visit" version="${visitVersion}">
  <start/><end/><today>2026-03-05</today><username>bolor</username>
  <case_id>${caseId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <visit_location/><observations/><needs>cash</needs><next_visit_date>2026-04-05</next_visit_date><case_status>in_progress</case_status>
  <meta><instanceID>uuid:${randomUUID()}</instanceID>
    <entity dataset="cases" id="${caseId}" update="1" baseVersion="1" trunkVersion="" branchId="${randomUUID()}"/></meta>
</data>`;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-entities-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outpost entities process-backlog', () => {
  it('applies a waiting change only once it is due, or at once with --force', async () => {
    const seeded = io();
    expect(
      await run(['seed', '--template', 'mongolia-social-protection', '--cases', '1', '--data-dir', dir], seeded),
    ).toBe(0);
    const caseId = randomUUID();
    const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
    try {
      const project = await store.db.selectFrom('projects').select('id').executeTakeFirstOrThrow();
      const held = await receiveSubmission(
        { projectId: project.id, xml: orphanVisit(caseId), userId: null, deviceId: null },
        store,
      );
      expect(held).toMatchObject({ ok: true, receipt: { entity: { action: 'held' } } });
    } finally {
      await store.close();
    }

    const due = io();
    expect(await run(['entities', 'process-backlog', '--data-dir', dir], due)).toBe(0);
    expect(due.text()).toBe('Applied 0 waiting case changes.\n');

    const forced = io();
    expect(await run(['entities', 'process-backlog', '--force', '--data-dir', dir], forced)).toBe(0);
    expect(forced.text()).toBe('Applied 1 waiting case change.\n');
    const after = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
    try {
      const entity = await after.db
        .selectFrom('entities')
        .select(['label', 'version'])
        .where('id', '=', caseId)
        .executeTakeFirst();
      expect(entity).toEqual({ label: 'auto generated', version: 1 });
    } finally {
      await after.close();
    }
  }, 120_000);
});
