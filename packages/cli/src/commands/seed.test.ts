import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '@outpost/server';
import {
  compileInWorker,
  createLocalDiskBlobStore,
  createProject,
  findFormXlsform,
  findProjectBasemap,
  findProjectBySlug,
  listProjectFormVersions,
} from '@outpost/server';
import { templateFileUrl, templates } from '@outpost/templates';
import { openTestStore } from '@outpost/test-kit';
import { seedDemoIfEmpty, seedTemplate } from './seed.js';

let store: Store;
beforeEach(async () => {
  store = await openTestStore();
});
afterEach(() => store.close());

/** form_id -> version of every form a template carries, read from its workbooks. */
async function templateVersions(name: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const form of templates[name]?.forms ?? []) {
    const compiled = await compileInWorker('x.xlsx', new Uint8Array(await readFile(templateFileUrl(form.file))));
    if (!compiled.ok) throw new Error(`${form.file}: ${JSON.stringify(compiled)}`);
    out[compiled.form.formId] = compiled.form.version;
  }
  return out;
}

async function publishedVersions(projectId: string): Promise<Record<string, string>> {
  const latest: Record<string, string> = {};
  for (const v of await listProjectFormVersions(projectId, store)) latest[v.xmlFormId] ??= v.version;
  return latest;
}

describe('the demo seed publishes the templates’ forms', () => {
  it('leaves every form of every template published in its project, with its workbook stored', async () => {
    const result = await seedDemoIfEmpty(store, 3);
    expect(result.seeded).toBe(true);
    for (const name of Object.keys(templates)) {
      const demo = templates[name]?.generateDemo({ seed: 1, cases: 1 });
      const project = await findProjectBySlug(demo?.project.slug ?? '', store);
      if (!project) throw new Error(`no project for ${name}`);
      const expected = await templateVersions(name);
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(await publishedVersions(project.id), name).toEqual(expected);
      const summary = result.summaries.find((s) => s.project === demo?.project.name);
      expect(summary?.forms).toBe(Object.keys(expected).length);
      // The workbook itself is kept, byte for byte, for the publishing screen's download.
      const form = templates[name]?.forms[0];
      if (!form) throw new Error(name);
      const original = new Uint8Array(await readFile(templateFileUrl(form.file)));
      const kept = await findFormXlsform(project.id, form.formId, expected[form.formId] ?? '', store);
      expect(kept && Buffer.from(kept).equals(Buffer.from(original))).toBe(true);
    }
  }, 300_000);

  it('publishes nothing twice', async () => {
    const first = await seedTemplate('helpdesk', { cases: 2, seed: 7 }, store);
    expect(first.forms).toBe(Object.keys(await templateVersions('helpdesk')).length);
    const again = await seedTemplate('helpdesk', { cases: 2, seed: 7 }, store);
    expect(again).toMatchObject({ created: false, forms: 0 });
  });

  it('gives a project seeded before forms were part of the seed the forms it lacks', async () => {
    const slug = templates['helpdesk']?.generateDemo({ seed: 1, cases: 1 }).project.slug ?? '';
    const project = await createProject({ slug, name: 'Helpdesk', template: 'helpdesk' }, store);
    expect(await publishedVersions(project.id)).toEqual({});
    const seeded = await seedTemplate('helpdesk', { cases: 2, seed: 7 }, store);
    expect(seeded.created).toBe(false);
    expect(await publishedVersions(project.id)).toEqual(await templateVersions('helpdesk'));
  });
});

describe('the demo seed installs the demo basemap', () => {
  it('gives every demo project the demo PMTiles file, byte for byte, in the blob store', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'outpost-seed-basemap-'));
    try {
      const blobs = createLocalDiskBlobStore(dir);
      const result = await seedDemoIfEmpty(store, 1, blobs);
      const demo = await readFile(templateFileUrl('basemaps/demo.pmtiles'));
      expect(result.summaries.length).toBeGreaterThan(1);
      for (const summary of result.summaries) {
        const project = await findProjectBySlug(summary.slug, store);
        const basemap = await findProjectBasemap(project?.id ?? '', store);
        expect(basemap?.bytes, summary.slug).toBe(demo.length);
        const blob = await blobs.get(basemap?.sha256 ?? '');
        const chunks: Buffer[] = [];
        for await (const chunk of blob?.stream ?? []) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).equals(demo)).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
