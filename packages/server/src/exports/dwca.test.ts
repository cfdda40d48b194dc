import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishForm } from '../forms/publishForm.js';
import { findForm } from '../storage/queries/forms.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { parseXml, attribute, elementChildren } from '@outpost/core';
import { receiveSubmission } from '../submissions/receiveSubmission.js';
import { exportForm, ExportError } from './exportForm.js';
import type { DwcOptions } from './dwca.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

const observationForm = new URL(
  '../../../../templates/png-protected-areas/forms/biodiversity_observation.xlsx',
  import.meta.url,
);
const options: DwcOptions = {
  countryCode: 'PG',
  kingdom: 'Animalia',
  title: 'Varirata ranger observations',
  description: 'Species sightings by rangers on patrol.',
  publisher: 'CEPA',
  licence: 'CC BY 4.0',
  contactEmail: 'data@example.org',
  pubDate: '2026-12-07',
};

function observation(id: string, species: string, scientific: string, location: string): string {
  return `<data id="png_biodiversity_observation" version="${templateFormVersion('png_biodiversity_observation')}"><start/><end/><username/>
  <pa_id>PA-VARIRATA</pa_id><protected_area>PA-VARIRATA</protected_area>
  <observation_datetime>2026-10-03T07:15:00.000+10:00</observation_datetime><event_date>2026-10-03</event_date>
  <species>${species}</species><scientific_name>${scientific}</scientific_name><species_other/>
  <individual_count>2</individual_count><evidence_type>sighting</evidence_type><basis_of_record>HumanObservation</basis_of_record>
  <photo/><location>${location}</location><notes/>
  <meta><instanceID>uuid:${id}</instanceID><entity dataset="observations" id="${randomUUID()}" create="1"><label>${scientific} x2</label></entity></meta></data>`;
}

let dir: string;
let store: Store;
let formId: string;
let projectId: string;
const sensitiveId = randomUUID();
const plainId = randomUUID();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-dwca-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  const project = await createProject({ slug: 'varirata', name: 'Varirata' }, store);
  projectId = project.id;
  const published = await publishForm(
    {
      projectId: project.id,
      fileName: 'biodiversity_observation.xlsx',
      bytes: readFileSync(observationForm),
      actorId: null,
    },
    store,
  );
  if (!published.ok) throw new Error(JSON.stringify(published));
  formId = (await findForm(project.id, published.form.formId, store))?.id ?? '';
  for (const xml of [
    observation(sensitiveId, 'paradisaea_raggiana', 'Paradisaea raggiana', '-9.4321 147.3712 400 8'),
    observation(plainId, 'phalanger_orientalis', 'Phalanger orientalis', '-9.4456 147.3901 380 6'),
  ]) {
    const r = await receiveSubmission({ projectId: project.id, xml, userId: null, deviceId: null }, store);
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
}, 120_000);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function archive(): Promise<Record<string, string>> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportForm({ formId, format: 'dwca', actorId: null, dwc: options }, store, out);
  const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

const GBIF_REQUIRED = ['occurrenceID', 'basisOfRecord', 'scientificName', 'eventDate'];

describe('Darwin Core Archive', () => {
  it('has an occurrence core whose meta.xml names every column, GBIF’s required terms included', async () => {
    const files = await archive();
    expect(Object.keys(files).sort()).toEqual(['eml.xml', 'meta.xml', 'occurrence.txt']);
    const [header, ...rows] = (files['occurrence.txt'] ?? '')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    const meta = parseXml(files['meta.xml'] ?? '');
    const core = elementChildren(meta).find((n) => n.localName === 'core');
    if (core === undefined) throw new Error('no core');
    expect(attribute(core, 'rowType')).toBe('http://rs.tdwg.org/dwc/terms/Occurrence');
    expect(attribute(meta, 'metadata')).toBe('eml.xml');
    const terms = elementChildren(core)
      .filter((n) => n.localName === 'field')
      .map(
        (n) =>
          [
            Number(attribute(n, 'index')),
            (attribute(n, 'term') ?? '').replace('http://rs.tdwg.org/dwc/terms/', ''),
          ] as const,
      );
    for (const [index, term] of terms) expect(header?.[index]).toBe(term);
    expect(terms.length).toBe(header?.length);
    for (const term of [
      ...GBIF_REQUIRED,
      'countryCode',
      'taxonRank',
      'kingdom',
      'decimalLatitude',
      'decimalLongitude',
      'geodeticDatum',
      'coordinateUncertaintyInMeters',
      'individualCount',
    ]) {
      expect(header).toContain(term);
    }
    expect(rows.length).toBe(2);
    for (const row of rows) for (const term of GBIF_REQUIRED) expect(row[header?.indexOf(term) ?? -1]).not.toBe('');
  });

  it('generalises a sensitive species and says so; others keep their point', async () => {
    const files = await archive();
    const [header = [], ...rows] = (files['occurrence.txt'] ?? '')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    const get = (id: string, term: string): string =>
      rows.find((r) => r[0] === `uuid:${id}`)?.[header.indexOf(term)] ?? '';
    expect(get(sensitiveId, 'decimalLatitude')).toBe('-9.4');
    expect(get(sensitiveId, 'decimalLongitude')).toBe('147.4');
    expect(Number(get(sensitiveId, 'coordinateUncertaintyInMeters'))).toBeGreaterThanOrEqual(7850);
    expect(get(sensitiveId, 'dataGeneralizations')).toMatch(/generalised/);
    expect(get(plainId, 'decimalLatitude')).toBe('-9.4456');
    expect(get(plainId, 'coordinateUncertaintyInMeters')).toBe('6');
    expect(get(plainId, 'dataGeneralizations')).toBe('');
    expect(get(plainId, 'countryCode')).toBe('PG');
    expect(get(plainId, 'taxonRank')).toBe('species');
  });

  it('carries the dataset’s metadata in eml.xml', async () => {
    const eml = (await archive())['eml.xml'] ?? '';
    const root = parseXml(eml);
    const dataset = elementChildren(root).find((n) => n.localName === 'dataset');
    const names = elementChildren(dataset ?? root).map((n) => n.localName);
    for (const name of ['title', 'creator', 'pubDate', 'abstract', 'intellectualRights', 'contact'])
      expect(names).toContain(name);
    expect(eml).toContain('Varirata ranger observations');
    expect(eml).toContain('CC BY 4.0');
  });

  it('refuses a form without Darwin Core fields', async () => {
    const out = new PassThrough();
    const households = await publishForm(
      {
        projectId,
        fileName: 'household_registration.xlsx',
        bytes: readFileSync(
          new URL(
            '../../../../templates/mongolia-social-protection/forms/household_registration.xlsx',
            import.meta.url,
          ),
        ),
        actorId: null,
      },
      store,
    );
    if (!households.ok) throw new Error('publish');
    const other = await findForm(projectId, households.form.formId, store);
    await expect(
      exportForm({ formId: other?.id ?? '', format: 'dwca', actorId: null, dwc: options }, store, out),
    ).rejects.toThrow(ExportError);
  });
});
