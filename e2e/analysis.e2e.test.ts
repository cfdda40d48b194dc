import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectScreenInMongolian } from './screenText.js';
import { startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  collectPageErrors,
  demoProject,
  demoProjectOf,
  enrolAuthenticator,
  plantedRegistration,
  signIn,
  submitXml,
} from './steps.js';

// The analysis screen (issue 12): an administrator sets the min–max of a question (DHIS2's min–max
// per data element) and sees the answers outside it reported, all in Mongolian; an analyst exports
// the household registrations as CSV, Excel and GeoJSON, watches the progress and opens the files:
// the root table has its rows and none of the names the analyst may not see.

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
const tablet = { width: 1280, height: 800 };
const formTitle = 'Өрхийн бүртгэл';
const formId = 'mn_household_registration';
// The identifying questions of the registration (templates/src/mongolia-social-protection/forms.ts).
const identifying = /(?:^|[-_/])(?:head_)?(?:family_name|fathers_name|given_name|register_number)$/;

/** RFC 4180 rows: quoted cells may hold commas, quotes (doubled) and line breaks. */
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
    } else if (!quoted && (c === '\n' || c === '\r')) {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rows.push([...row, cell]);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('the analysis screen', () => {
  let server: RunningServer;
  let browser: Browser;
  let projectId = '';
  const pageErrors: string[] = [];

  const open = async (username: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: tablet, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors);
    await signIn(page, server, username);
    return { context, page };
  };

  /** From the project list, as a user gets there: the project card's analysis link. */
  const openAnalysis = async (page: Page, linkName: string) => {
    const card = page.locator('li', { has: page.getByRole('link', { name: new RegExp(demoProject) }) });
    await card.getByRole('link', { name: linkName, exact: true }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/analysis$`));
  };

  beforeAll(async () => {
    server = await startServer({ demo: true, readyTimeoutMs: 170_000 });
    const fieldworker = await apiLogin(server);
    projectId = (await demoProjectOf(fieldworker)).id;
    // The demo's households come from the register, not from forms: the test sends its own three.
    for (let i = 1; i <= 3; i++) await submitXml(server, fieldworker, projectId, plantedRegistration(i));
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets an administrator set a min–max, refuses a wrong bound in Mongolian, and reports the answers outside', async () => {
    const { context, page } = await open('admin');
    await enrolAuthenticator(page);
    await page.getByLabel('Language').selectOption('mn');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('mn');
    await openAnalysis(page, 'Шинжилгээ');
    await page.getByRole('heading', { name: 'Шинжилгээ', level: 1 }).waitFor({ timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Маягт' }).selectOption({ label: formTitle });

    const ranges = page.locator('.field-ranges');
    const minIncome = ranges.getByRole('textbox', { name: 'Өрхийн сарын орлого (₮): доод хязгаар' });
    const maxIncome = ranges.getByRole('textbox', { name: 'Өрхийн сарын орлого (₮): дээд хязгаар' });
    await minIncome.waitFor({ timeout: 30_000 });
    // The date questions take dates, the numbers text the server checks.
    expect(await ranges.locator('input[type="date"]').count()).toBeGreaterThan(0);

    // A word is not a bound: the server's refusal, in Mongolian, names the question.
    await minIncome.fill('арав');
    await ranges.getByRole('button', { name: 'Хязгаарыг хадгалах' }).click();
    const refusal = ranges.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Хадгалагдсангүй: Өрхийн сарын орлого (₮)');
    expect(await refusal.textContent()).toContain('Доод, дээд хязгаар нь тоо');
    expect(await minIncome.getAttribute('aria-invalid')).toBe('true');
    // The feed's address is an address, the formats and tools are names; all else is Mongolian.
    const feedUrl = (await page.locator('.feed-url').textContent()) ?? '';
    const names = [demoProject, 'Demo administrator', feedUrl, 'Power BI', 'Excel', 'CSV', 'GeoJSON', 'ODK Central'];
    await expectScreenInMongolian(page, 'refused range', names);

    // Incomes up to 1 ₮: every household with an income is out of range.
    await minIncome.fill('0');
    await maxIncome.fill('1');
    await ranges.getByRole('button', { name: 'Хязгаарыг хадгалах' }).click();
    await ranges.getByText('Хязгаарыг хадгаллаа.').waitFor();
    expect(await minIncome.getAttribute('aria-invalid')).toBeNull();

    const setting = page
      .locator('.quality-report tr')
      .filter({ hasText: 'Өрхийн сарын орлого (₮)' })
      .filter({ hasText: '(админы тогтоосон)' });
    await setting.waitFor({ timeout: 60_000 });
    expect(await setting.textContent()).toMatch(/0-ээс 1 хүртэл: \d+ хариулт гадна/);
    const links = setting.getByRole('link');
    expect(await links.count()).toBeGreaterThan(0);
    if (screenshots) await page.screenshot({ path: `${screenshots}/analysis-ranges-mn.png`, fullPage: true });
    await expectScreenInMongolian(page, 'analysis with ranges', names);

    // A link opens the household the answer came from.
    await links.first().click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/cases/[^/]+$`), { timeout: 30_000 });
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('lets an analyst export CSV, Excel and GeoJSON with progress, and the files hold rows without names', async () => {
    const { context, page } = await open('analyst');
    await page.getByRole('link', { name: new RegExp(demoProject) }).waitFor({ timeout: 60_000 });
    await openAnalysis(page, 'Analysis');
    await page.getByRole('heading', { name: 'Analysis', level: 1 }).waitFor({ timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Form' }).selectOption({ label: formTitle });
    const panel = page.locator('.export-panel');
    // Columns named by the questions' paths, as ODK Central names them.
    await panel.getByRole('combobox', { name: 'Column names and answers' }).selectOption('');

    const exportAs = async (format: 'csv' | 'xlsx' | 'geojson'): Promise<Buffer> => {
      await panel.getByRole('combobox', { name: 'File' }).selectOption(format);
      await panel.getByRole('button', { name: 'Start the export' }).click();
      // The last export's file is not offered as this one's while the new one starts.
      expect(await panel.getByRole('link', { name: /^Download / }).count()).toBe(0);
      // Progress: the bar and "n of total submissions written", until every one is written.
      const status = panel.getByRole('status').filter({ hasText: /submissions written/ });
      await status.waitFor({ timeout: 60_000 });
      expect(await panel.locator('progress').count()).toBe(1);
      await panel.getByText('The file is ready.').waitFor({ timeout: 120_000 });
      const [, written, total] =
        /^([\d,]+) of ([\d,]+) submissions written$/.exec((await status.textContent()) ?? '') ?? [];
      expect(Number(total?.replace(/,/g, ''))).toBeGreaterThan(0);
      expect(written).toBe(total);
      expect(await panel.locator('progress').getAttribute('value')).toBe('100');
      const link = panel.getByRole('link', { name: /^Download / });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^${formId}\\.`));
      const path = await download.path();
      return readFile(path);
    };

    // CSV: a zip with the root table first named after the form, a header and rows.
    const zip = unzipSync(new Uint8Array(await exportAs('csv')));
    const root = zip[`${formId}.csv`];
    expect(root, Object.keys(zip).join(', ')).toBeDefined();
    const table = parseCsv(strFromU8(root ?? new Uint8Array()).replace(/^\uFEFF/, ''));
    expect(table.length).toBeGreaterThan(3);
    const header = table[0] ?? [];
    // The canary family name and register number of the planted households never reach the analyst:
    // their columns keep the table's shape (as Central's) but are empty in every row.
    expect(table.flat().join('\n')).not.toMatch(/Канарын|УК8503271/);
    const hidden = header.flatMap((column, i) => (identifying.test(column) ? [i] : []));
    expect(hidden.length).toBeGreaterThan(0);
    for (const row of table.slice(1)) expect(hidden.map((i) => row[i] ?? '').join('')).toBe('');
    expect(header.some((column) => /monthly_income/.test(column))).toBe(true);

    // Excel: the same rows on the root sheet, no identifying column.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await exportAs('xlsx')) as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0];
    expect(sheet?.rowCount).toBe(table.length);
    const names = ((sheet?.getRow(1).values as unknown[]) ?? []).map(String);
    const hiddenCells = names.flatMap((n, i) => (identifying.test(n) ? [i] : []));
    expect(hiddenCells.length).toBe(hidden.length);
    sheet?.eachRow((row, number) => {
      if (number > 1) for (const i of hiddenCells) expect(row.getCell(i).text).toBe('');
    });

    // GeoJSON: a feature per submission with a place, without the names in its properties.
    const geo = JSON.parse((await exportAs('geojson')).toString('utf8')) as {
      type: string;
      features: Array<{ geometry: unknown; properties: Record<string, unknown> }>;
    };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.length).toBeGreaterThan(0);
    expect(JSON.stringify(geo)).not.toMatch(/Канарын|УК8503271/);
    for (const feature of geo.features) {
      for (const [key, value] of Object.entries(feature.properties)) {
        if (identifying.test(key)) expect(value ?? '', key).toBe('');
      }
    }
    if (screenshots) await page.screenshot({ path: `${screenshots}/analysis-export.png`, fullPage: true });
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
