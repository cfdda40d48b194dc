import type * as EngineModule from '@getodk/xforms-engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { installEngineGlobals } from '@outpost/test-kit';
import { compile, compileXlsform } from './compileTemplate.test-support.js';
import { saveToTargets, templates } from './index.js';

const definitions = Object.values(templates).flatMap((t) => t.definitions.map((d) => [t.name, d.formId, d] as const));

type Engine = typeof EngineModule;
let engine: Engine;
beforeAll(async () => {
  await installEngineGlobals();
  engine = await import('@getodk/xforms-engine');
});

async function load(xform: string) {
  return engine.loadForm(xform, {
    fetchFormAttachment: () => Promise.resolve(new Response('', { status: 404 })),
    missingResourceBehavior: engine.constants.MISSING_RESOURCE_BEHAVIOR.BLANK,
  });
}

describe.skipIf(compileXlsform === undefined)('template forms', () => {
  it.each(definitions)(
    '%s/%s compile with the Outpost compiler and load in the ODK engine',
    async (_t, formId, form) => {
      const result = await compile(form);
      expect(result.errors ?? []).toEqual([]);
      expect(result.form?.formId).toBe(formId);
      expect(result.form?.entities?.dataset).toBe(form.entities?.listName);
      expect((result.form?.entities?.properties ?? []).map((p) => p.property).sort()).toEqual(
        saveToTargets(form).sort(),
      );
      const sensitivity = new Map(result.form?.fields.map((f) => [f.name, f.sensitivity]));
      for (const row of form.survey) {
        if (row.name !== undefined && row.sensitivity !== undefined)
          expect(sensitivity.get(row.name), row.name).toBe(row.sensitivity);
      }
      const loaded = await load(result.xform ?? '');
      expect(loaded.error?.message ?? null).toBeNull();
    },
  );

  it('reject a date of birth or sex that contradicts the register number', async () => {
    const registration = definitions.find(([, id]) => id === 'mn_household_registration')?.[2];
    if (registration === undefined) throw new Error('registration form missing');
    const loaded = await load((await compile(registration)).xform ?? '');
    const instance = loaded.createInstance();

    interface Node {
      definition: unknown;
      currentState: { children: readonly Node[] | null; value: unknown };
      validationState: { violation?: { condition: string } | null };
      setValue?: (value: string) => void;
      selectValue?: (value: string) => void;
    }
    const find = (node: Node, name: string): Node => {
      const search = (n: Node): Node | undefined => {
        if ((n.definition as { nodeset?: string }).nodeset?.endsWith(`/${name}`)) return n;
        for (const c of n.currentState.children ?? []) {
          const hit = search(c);
          if (hit !== undefined) return hit;
        }
        return undefined;
      };
      const hit = search(node);
      if (hit === undefined) throw new Error(name);
      return hit;
    };
    const root = instance.root as unknown as Node;
    find(root, 'consent').selectValue?.('yes');
    const rd = find(root, 'head_register_number');
    const dob = find(root, 'head_dob');
    const sex = find(root, 'head_sex');
    const state = (n: Node): string => n.validationState.violation?.condition ?? 'valid';

    rd.setValue?.('УК03271614');
    dob.setValue?.('2003-07-16');
    sex.selectValue?.('male');
    expect([state(rd), state(dob), state(sex)]).toEqual(['valid', 'valid', 'valid']);

    dob.setValue?.('2003-07-17');
    sex.selectValue?.('female');
    expect([state(dob), state(sex)]).toEqual(['constraint', 'constraint']);

    rd.setValue?.('УК88032724');
    dob.setValue?.('1988-03-27');
    expect([state(rd), state(dob), state(sex)]).toEqual(['valid', 'valid', 'valid']);

    rd.setValue?.('УК88132724');
    expect(state(rd)).toBe('constraint');
  });
});
