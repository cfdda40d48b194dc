// @vitest-environment jsdom
import householdXml from './__fixtures__/household_registration.xml?raw';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
it('probe', async () => {
  const g = globalThis as Record<string, unknown>;
  const enginePath = createRequire(import.meta.url).resolve('@getodk/xforms-engine');
  g['__dirname'] ??= fileURLToPath(new URL('.', `file://${enginePath}`));
  g['require'] ??= createRequire(enginePath);
  const engine = await import('@getodk/xforms-engine');
  const xml = householdXml;
  const form = await engine.loadForm(xml, {});
  console.log(form.status, form.error);
  if (form.status === 'failure') return;
  const inst = form.createInstance({});
  const root = inst.root;
  console.log(root.languages.map((l) => [l.language, l.locale?.toString(), l.isDefault]));
  const walk = (n: any, d = 0): void => {
    console.log(' '.repeat(d*2), n.nodeType, n.currentState.reference, n.definition?.bodyElement?.type, n.appearances ? [...n.appearances] : '', JSON.stringify(n.currentState.value)?.slice(0, 40), n.currentState.label?.asString);
    for (const ch of n.currentState.children ?? []) walk(ch, d + 1);
  };
  walk(root);
  const consent = root.currentState.children.find((c: any) => c.currentState.reference === '/data/consent') as any;
  consent.selectValue('yes');
  const members = root.currentState.children.find((c: any) => c.currentState.reference === '/data/members') as any;
  console.log(members.nodeType, members.currentState.children.length, members.currentState.label?.asString);
  members.addInstances();
  console.log(members.currentState.children.length, members.currentState.children[0].currentState.reference);
  console.log(root.validationState.violations.map((v: any) => [v.reference, v.violation.condition, v.violation.message?.asString]));
  const payload = await root.prepareInstancePayload();
  console.log(payload.status, await payload.data[0].get('xml_submission_file').text());
});
