import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../storage/queries/audit.js';
import type { Store } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';
import { receiveSubmission } from '../submissions/receiveSubmission.js';
import { neutralizeFormula } from '../csv/csvField.js';
import type { ExportFixture } from './exportFixture.test-support.js';
import { openExportFixture } from './exportFixture.test-support.js';
import { exportForm } from './exportForm.js';
import type { ExportFormat, ExportLanguage } from './exportForm.js';

let fixture: ExportFixture;
let store: Store;
let formId: string;
const ids = [randomUUID(), randomUUID(), randomUUID()];

const member = (given: string): string =>
  `<members><member_family_name/><member_fathers_name>Батын</member_fathers_name><member_given_name>${given}</member_given_name>` +
  '<member_register_number/><member_dob>2015-06-01</member_dob><member_age>11</member_age><member_age_note/>' +
  '<member_sex>female</member_sex><member_relationship>child</member_relationship></members>';

beforeAll(async () => {
  fixture = await openExportFixture('outpost-export-');
  ({ store, formId } = fixture);
  const givens = ['Болд', '=HYPERLINK("x")', 'Цэцэг, "Цэцгээ"'];
  for (const [i, id] of ids.entries()) {
    let xml = householdInstance({ instanceId: `uuid:${id}`, entityId: randomUUID(), given: givens[i] ?? 'X' });
    if (i === 0) xml = xml.replace('<household_size>', `${member('Сараа')}${member('Дулмаа')}<household_size>`);
    xml = xml.replace('<location/>', '<location>47.918 106.917 1350 5</location>');
    const r = await receiveSubmission({ projectId: fixture.projectId, xml, userId: null, deviceId: null }, store);
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
}, 120_000);
afterAll(async () => {
  await fixture.close();
});

async function run(format: ExportFormat, lang?: ExportLanguage): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  await exportForm({ formId, format, actorId: null, ...(lang ? { lang } : {}) }, store, out);
  out.end();
  await done;
  return Buffer.concat(chunks);
}

/** RFC 4180 rows, for reading back what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (quoted || c !== '\r') {
      cell += c;
    }
  }
  return rows;
}

describe('exports', () => {
  it('writes ODK Central’s .csv.zip: a root table and a repeat table joined by KEY and PARENT_KEY', async () => {
    const files = unzipSync(new Uint8Array(await run('csv')));
    expect(Object.keys(files).sort()).toEqual([
      'mn_household_registration-members.csv',
      'mn_household_registration.csv',
    ]);
    const root = parseCsv(strFromU8(files['mn_household_registration.csv'] ?? new Uint8Array()));
    const header = root[0] ?? [];
    expect(header[0]).toBe('SubmissionDate');
    expect(header).toContain('head-head_given_name');
    expect(header).toContain('address-location-Latitude');
    expect(header.slice(-6)).toEqual([
      'meta-instanceID',
      'KEY',
      'SubmitterID',
      'SubmitterName',
      'DeviceID',
      'FormVersion',
    ]);
    expect(root.length).toBe(4);
    const given = header.indexOf('head-head_given_name');
    expect(root.slice(1).map((r) => r[given])).toEqual(['Болд', '\'=HYPERLINK("x")', 'Цэцэг, "Цэцгээ"']);
    expect(root[1]?.[header.indexOf('address-location-Longitude')]).toBe('106.917');
    const members = parseCsv(strFromU8(files['mn_household_registration-members.csv'] ?? new Uint8Array()));
    const mh = members[0] ?? [];
    expect(mh.slice(-2)).toEqual(['PARENT_KEY', 'KEY']);
    expect(members.slice(1).map((r) => r[mh.indexOf('member_given_name')])).toEqual(['Сараа', 'Дулмаа']);
    expect(members[2]?.[mh.indexOf('PARENT_KEY')]).toBe(`uuid:${ids[0]}`);
    expect(members[2]?.[mh.indexOf('KEY')]).toBe(`uuid:${ids[0]}/members[2]`);
  });

  it('writes an .xlsx that Excel readers open, a sheet per table', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await run('xlsx')) as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'mn_household_registration',
      'mn_household_registration-membe',
    ]);
    const sheet = book.worksheets[0];
    const header = (sheet?.getRow(1).values as string[]).slice(1);
    const given = header.indexOf('head-head_given_name') + 1;
    expect(sheet?.getRow(3).getCell(given).value).toBe('\'=HYPERLINK("x")');
    expect(sheet?.rowCount).toBe(4);
  });

  it('writes GeoJSON with a point per submission, longitude first', async () => {
    const geo = JSON.parse((await run('geojson')).toString('utf8')) as {
      type: string;
      features: Array<{ geometry: { type: string; coordinates: number[] }; properties: Record<string, string> }>;
    };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.length).toBe(3);
    expect(geo.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [106.917, 47.918] });
    expect(geo.features[0]?.properties['head-head_given_name']).toBe('Болд');
  });

  it('writes headers and choice labels in the language asked for, keys and system columns unchanged', async () => {
    const tableOf = async (lang: ExportLanguage): Promise<{ root: string[][]; members: string[][] }> => {
      const files = unzipSync(new Uint8Array(await run('csv', lang)));
      return {
        root: parseCsv(strFromU8(files['mn_household_registration.csv'] ?? new Uint8Array())),
        members: parseCsv(strFromU8(files['mn_household_registration-members.csv'] ?? new Uint8Array())),
      };
    };
    const mn = await tableOf('mn');
    const mnHeader = mn.root[0] ?? [];
    expect(mnHeader[0]).toBe('SubmissionDate');
    expect(mnHeader).not.toContain('head-head_given_name');
    expect(mnHeader.slice(-6)).toEqual([
      'meta-instanceID',
      'KEY',
      'SubmitterID',
      'SubmitterName',
      'DeviceID',
      'FormVersion',
    ]);
    const sex = mnHeader.indexOf('Хүйс');
    expect(sex).toBeGreaterThan(0);
    expect(mn.root[1]?.[sex]).toBe('Эр');
    expect(mn.root[1]?.[mnHeader.indexOf('Нэр')]).toBe('Болд');
    expect(mnHeader.some((h) => h.endsWith('-Latitude'))).toBe(true);
    const mh = mn.members[0] ?? [];
    expect(mh.slice(-2)).toEqual(['PARENT_KEY', 'KEY']);
    expect(mn.members[1]?.[mh.indexOf('Хүйс')]).toBe('Эм');

    const en = await tableOf('en');
    const enHeader = en.root[0] ?? [];
    expect(en.root[1]?.[enHeader.indexOf('Given name')]).toBe('Болд');
    expect(en.root[1]?.[enHeader.indexOf('Sex')]).toBe('Male');
    expect(en.root[1]?.[enHeader.indexOf('Needs')]).toBe('Food and nutrition');
    expect(mn.root[1]?.[mnHeader.indexOf('Хэрэгцээ')]).toBe('Хүнс, тэжээл');
    expect(en.root[1]?.[enHeader.indexOf('KEY')]).toBe(`uuid:${ids[0]}`);
    // The Mongolian forms carry no Tok Pisin: their default language (Mongolian) stands in.
    const tpi = await tableOf('tpi');
    expect(tpi.root[0]).toEqual(mnHeader);
  });

  it('audits every export', async () => {
    await run('csv');
    const events = await listAuditEvents(0, 500, store);
    expect(JSON.stringify(events)).toContain('submissions.export');
  });

  it('neutralises formulas but not negative numbers', () => {
    expect(neutralizeFormula('=1+1')).toBe("'=1+1");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeFormula('-5')).toBe('-5');
    expect(neutralizeFormula('-1+1')).toBe("'-1+1");
    expect(neutralizeFormula('plain')).toBe('plain');
  });
});
