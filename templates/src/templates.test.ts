import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The workbook writer is the same one scripts/build-forms.mjs uses.
import { readFormWorkbook, writeFormWorkbook } from '../scripts/writeFormWorkbook.mjs';
import type { DemoData, FormDefinition, SheetTable } from './index.js';
import { formSheets, saveToTargets, templateFileUrl, templates } from './index.js';

const all = Object.values(templates);
const definitions = all.flatMap((t) => t.definitions.map((d) => [t.name, d.formId, d] as const));

function trimmed(sheets: SheetTable[]): SheetTable[] {
  return sheets.map((s) => ({
    name: s.name,
    rows: s.rows.map((row) => {
      const r = [...row];
      while (r.length > 0 && r[r.length - 1] === '') r.pop();
      return r;
    }),
  }));
}

describe('committed XLSForm workbooks', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outpost-templates-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(definitions)(
    '%s/%s matches its TypeScript definition (run scripts/build-forms.mjs)',
    async (_t, formId, form) => {
      const committed = await readFormWorkbook(fileURLToPath(templateFileUrl(form.file)));
      const regenerated = join(dir, `${formId}.xlsx`);
      await writeFormWorkbook(formSheets(form), regenerated);
      expect(committed).toEqual(await readFormWorkbook(regenerated));
      expect(committed).toEqual(trimmed(formSheets(form)));
    },
  );
});

interface Field {
  name: string;
  type: string;
  inRepeat: boolean;
}

function fieldsOf(form: FormDefinition): Field[] {
  let repeatDepth = 0;
  const fields: Field[] = [];
  for (const row of form.survey) {
    if (row.type === 'end_repeat') repeatDepth--;
    if (row.name !== undefined) fields.push({ name: row.name, type: row.type, inRepeat: repeatDepth > 0 });
    if (row.type === 'begin_repeat') repeatDepth++;
  }
  return fields;
}

function expressionsOf(form: FormDefinition): string[] {
  const out: string[] = [];
  for (const r of form.survey) {
    out.push(r.relevant ?? '', r.constraint ?? '', r.calculation ?? '', r.choiceFilter ?? '', r.default ?? '');
    for (const text of [r.label, r.hint, r.constraintMessage]) out.push(...Object.values(text ?? {}));
  }
  const e = form.entities;
  if (e !== undefined) out.push(e.label ?? '', e.entityId ?? '', e.createIf ?? '', e.updateIf ?? '');
  if (form.instanceName !== undefined) out.push(form.instanceName);
  return out;
}

describe.each(definitions)('form %s/%s', (_t, _id, form) => {
  const fields = fieldsOf(form);
  const names = new Set(fields.map((f) => f.name));

  it('has unique field names', () => {
    expect(fields.length).toBe(names.size);
  });

  it('refers only to fields that exist', () => {
    const refs = expressionsOf(form).flatMap((x) => [...x.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]));
    expect(refs.filter((r) => r === undefined || !names.has(r))).toEqual([]);
  });

  it('has a choice list for every select and every choice_filter column', () => {
    const lists = new Map(form.choices.map((l) => [l.listName, l]));
    for (const row of form.survey) {
      const m = /^select_(?:one|multiple) (\S+)$/.exec(row.type);
      if (m?.[1] === undefined) continue;
      const list = lists.get(m[1]);
      expect(list, `${row.name}: list ${m[1]}`).toBeDefined();
      const column = /^(\w+)=/.exec(row.choiceFilter ?? '')?.[1];
      if (column !== undefined && column !== 'name') {
        expect(
          list?.choices.every((c) => c.columns?.[column] !== undefined),
          `${row.name}: ${column}`,
        ).toBe(true);
      }
    }
  });

  it('translates every label into every language of the form', () => {
    const missing = form.survey
      .filter((r) => r.label !== undefined)
      .flatMap((r) => form.languages.filter((l) => !r.label?.[l.code]).map((l) => `${r.name ?? r.type}:${l.code}`));
    expect(missing).toEqual([]);
  });

  it('saves entity properties only from fields outside repeats, each once', () => {
    const saved = fields.filter((f) => form.survey.find((r) => r.name === f.name)?.saveTo !== undefined);
    expect(saved.filter((f) => f.inRepeat).map((f) => f.name)).toEqual([]);
    const targets = saveToTargets(form);
    expect(new Set(targets).size).toBe(targets.length);
    if (targets.length > 0) expect(form.entities).toBeDefined();
    expect(targets.filter((t) => t === 'name' || t === 'label' || t.startsWith('__'))).toEqual([]);
  });

  it('declares entities it updates through a field that picks from that entity list', () => {
    const e = form.entities;
    if (e === undefined) return;
    if (e.entityId === undefined) {
      expect(e.label).toBeTruthy();
      return;
    }
    const field = /^\$\{(\w+)\}$/.exec(e.entityId)?.[1];
    const row = form.survey.find((r) => r.name === field);
    expect(row?.type).toBe(`select_one_from_file ${e.listName}.csv`);
  });
});

describe('sensitivity classes', () => {
  const sensitivityOf = (formId: string, field: string): string | undefined =>
    definitions.find(([, id]) => id === formId)?.[2].survey.find((r) => r.name === field)?.sensitivity;

  it('mark names, register numbers, phones, addresses below soum, locations and vulnerability in the Mongolian registration', () => {
    const expected: Record<string, string> = {
      head_given_name: 'identifying',
      head_fathers_name: 'identifying',
      head_register_number: 'identifying',
      member_register_number: 'identifying',
      head_phone: 'identifying',
      bag: 'location',
      address_detail: 'location',
      location: 'location',
      vulnerability: 'sensitive',
      needs: 'sensitive',
    };
    for (const [field, cls] of Object.entries(expected))
      expect(sensitivityOf('mn_household_registration', field), field).toBe(cls);
    expect(sensitivityOf('mn_household_registration', 'soum')).toBeUndefined();
  });

  it('mark species locations and informant and suspect identities in the PNG forms', () => {
    expect(sensitivityOf('png_biodiversity_observation', 'location')).toBe('location');
    expect(sensitivityOf('png_incident', 'informant_name')).toBe('identifying');
    expect(sensitivityOf('png_incident', 'suspect_name')).toBe('identifying');
  });
});

const demos: Array<readonly [string, DemoData]> = all.map(
  (t) => [t.name, t.generateDemo({ seed: 42, cases: 300 })] as const,
);

describe.each(demos)('demo data of %s', (name, demo) => {
  const template = templates[name];
  if (template === undefined) throw new Error(name);

  it('is the same for the same seed and differs for another seed', () => {
    expect(template.generateDemo({ seed: 42, cases: 300 })).toEqual(demo);
    expect(template.generateDemo({ seed: 43, cases: 300 }).entities).not.toEqual(demo.entities);
  });

  it('uses unique UUID v4 ids', () => {
    const ids = demo.entities.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('writes only properties that the form creating the entity list saves', () => {
    for (const entity of demo.entities) {
      const creating = template.definitions.find(
        (d) => d.entities?.listName === entity.list && d.entities.entityId === undefined,
      );
      expect(creating, entity.list).toBeDefined();
      const targets = new Set(creating === undefined ? [] : saveToTargets(creating));
      expect(Object.keys(entity.properties).filter((k) => !targets.has(k))).toEqual([]);
    }
  });

  it('uses only choice names that the creating form offers', () => {
    for (const entity of demo.entities) {
      const creating = template.definitions.find(
        (d) => d.entities?.listName === entity.list && d.entities.entityId === undefined,
      );
      for (const row of creating?.survey ?? []) {
        const list = /^select_(?:one|multiple) (\S+)$/.exec(row.type)?.[1];
        const value = row.saveTo === undefined ? undefined : entity.properties[row.saveTo];
        if (list === undefined || value === undefined) continue;
        const choices = new Set(creating?.choices.find((l) => l.listName === list)?.choices.map((c) => c.name));
        expect(
          value.split(' ').filter((v) => !choices.has(v)),
          `${entity.list}.${row.saveTo}`,
        ).toEqual([]);
      }
    }
  });

  it('places every entity in an area of the list, and every area under an existing parent', () => {
    const codes = new Set(demo.areas.map((a) => a.code));
    expect(codes.size).toBe(demo.areas.length);
    expect(demo.areas.filter((a) => a.parentCode !== null && !codes.has(a.parentCode))).toEqual([]);
    expect(demo.entities.filter((e) => e.areaCode !== null && !codes.has(e.areaCode))).toEqual([]);
    expect(demo.areaListVersion).toBe(template.areaListVersion);
  });

  it('dates every entity with updatedAt not before createdAt', () => {
    for (const e of demo.entities) {
      expect(Number.isNaN(Date.parse(e.createdAt))).toBe(false);
      expect(e.updatedAt >= e.createdAt).toBe(true);
    }
  });
});
