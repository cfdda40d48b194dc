// @vitest-environment jsdom
import '../../forms/__fixtures__/engineInNode.js';
import type { InputNode, SelectNode } from '@getodk/xforms-engine';
import type { FormNode } from '../../forms/engineTypes.js';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createMemoryApi, type MemoryApiData } from '../../api/createMemoryApi.js';
import type { FormSummary } from '../../api/OutpostApi.js';
import { createDraftStore } from '../../forms/drafts.js';
import assessmentXml from '../../forms/__fixtures__/assessment.xml?raw';
import householdXml from '../../forms/__fixtures__/household_registration.xml?raw';
import { findNode, type OpenedForm } from '../../forms/openForm.js';
import { createFormFill } from './createFormFill.js';

const fieldworker = { id: 'u1', username: 'fieldworker', displayName: 'Field Worker', role: 'fieldworker' };
const registration: FormSummary = {
  formId: 'mn_household_registration',
  version: '2026112701',
  title: 'Өрхийн бүртгэл',
};
const assessment: FormSummary = { formId: 'mn_assessment', version: '2026112701', title: 'Үнэлгээ' };

async function setUp(extra: Partial<MemoryApiData> = {}) {
  const api = createMemoryApi({
    accounts: [{ user: fieldworker, password: 'pw' }],
    projects: [{ id: 'p1', slug: 'bz', name: 'Bayanzürkh', role: 'fieldworker' }],
    cases: { p1: [] },
    forms: {
      p1: [
        { summary: registration, xml: householdXml },
        {
          summary: assessment,
          xml: assessmentXml,
          attachments: { 'cases.csv': 'name,label\ncase-1,Б. Болд\ncase-2,Д. Сарнай\n' },
        },
      ],
    },
    ...extra,
  });
  await api.login('fieldworker', 'pw');
  const drafts = createDraftStore({ name: `drafts-${Math.random()}`, indexedDB: new IDBFactory(), IDBKeyRange });
  return { api, drafts };
}

function node(form: OpenedForm, reference: string): FormNode {
  const found = findNode(form.root, (n) => n.currentState.reference === reference);
  if (!found) throw new Error(`no question ${reference}`);
  return found;
}
const input = (form: OpenedForm, reference: string): InputNode => node(form, reference) as InputNode;
const select = (form: OpenedForm, reference: string): SelectNode => node(form, reference) as SelectNode;

function answerHead(form: OpenedForm, registerNumber: string): void {
  select(form, '/data/consent').selectValue('yes');
  input(form, '/data/head/head_fathers_name').setValue('Батын');
  input(form, '/data/head/head_given_name').setValue('Болд');
  input(form, '/data/head/head_register_number').setValue(registerNumber);
  input(form, '/data/head/head_dob').setValue('1985-03-27');
  select(form, '/data/head/head_sex').selectValue('male');
  select(form, '/data/address/soum').selectValue('MN1110');
  const bag = select(form, '/data/address/bag');
  bag.selectValue(bag.currentState.valueOptions[0]?.value ?? null);
  input(form, '/data/address/location').setValue('47.9213 106.9842 1300 12');
}

async function opened(model: ReturnType<typeof createFormFill>): Promise<OpenedForm> {
  await model.load();
  const form = model.form();
  if (!form) throw new Error(`the form did not open: ${String(model.loadError())}`);
  return form;
}

describe('createFormFill', () => {
  it('keeps a draft that reopens with the answers, the repeat and the location', async () => {
    const { api, drafts } = await setUp();
    const target = { projectId: 'p1', formId: registration.formId, version: registration.version };
    const saving = createFormFill({ api, drafts }, target);
    await saving.load();
    const first = saving.form();
    if (!first) throw new Error('not open');
    answerHead(first, 'УК85032715');
    input(first, '/data/members[1]/member_given_name').setValue('Сарнай');
    const saved = await saving.saveDraft();
    expect(saved.label).toBe('Б. Болд');
    expect((await drafts.list('p1')).map((d) => d.id)).toEqual([first.instanceId()]);

    const restored = await opened(createFormFill({ api, drafts }, { ...target, draftId: saved.id }));
    expect(restored.instanceId()).toBe(first.instanceId());
    expect(input(restored, '/data/head/head_register_number').currentState.value).toBe('УК85032715');
    expect(input(restored, '/data/members[1]/member_given_name').currentState.value).toBe('Сарнай');
    expect(input(restored, '/data/address/location').currentState.instanceValue).toMatch(/^47\.9213 106\.9842 1300/);

    // A second new form is a new instance, not the draft.
    const fresh = await opened(createFormFill({ api, drafts }, target));
    expect(fresh.instanceId()).not.toBe(first.instanceId());
  });

  it('shows the form’s own Mongolian constraint message for a register number that does not fit', async () => {
    const { api, drafts } = await setUp();
    const form = await opened(
      createFormFill({ api, drafts }, { projectId: 'p1', formId: registration.formId, version: registration.version }),
    );
    select(form, '/data/consent').selectValue('yes');
    input(form, '/data/head/head_register_number').setValue('УК8503');
    const violation = input(form, '/data/head/head_register_number').validationState.violation;
    expect(violation?.condition).toBe('constraint');
    expect(violation?.message?.asString).toContain('2 кирилл үсэг, 8 тоо');
  });

  it('finalizes only a complete form, sends it, and forgets the draft', async () => {
    const { api, drafts } = await setUp();
    const model = createFormFill(
      { api, drafts },
      { projectId: 'p1', formId: registration.formId, version: registration.version },
    );
    const form = await opened(model);
    answerHead(form, 'УК85032715');
    await model.saveDraft();
    expect(await model.finalize()).toMatchObject({ kind: 'invalid' });

    // The empty household member the form starts with is what is still missing.
    const members = node(form, '/data/members');
    if (members.nodeType !== 'repeat-range:uncontrolled') throw new Error('members is not a repeat');
    members.removeInstances(0);
    const result = await model.finalize();
    expect(result).toMatchObject({ kind: 'sent', receipt: { instanceId: form.instanceId(), created: true } });
    expect(api.submissions[0]?.xml).toContain('<head_register_number>УК85032715</head_register_number>');
    expect(await drafts.list('p1')).toEqual([]);
  });

  it('edits a stored submission: its answers in the form, a new instanceID, and deprecatedID naming it', async () => {
    const { api, drafts } = await setUp();
    const target = { projectId: 'p1', formId: registration.formId, version: registration.version };
    const first = createFormFill({ api, drafts }, target);
    const original = await opened(first);
    answerHead(original, 'УК85032715');
    input(original, '/data/situation/monthly_income').setValue('450000');
    const stored = (await original.serialize()).xml;
    const asked: string[] = [];
    const reviewer = {
      ...api,
      getSubmissionForEdit: (_p: string, _f: string, instanceId: string) => {
        asked.push(instanceId);
        return Promise.resolve({ instanceId, formId: registration.formId, version: registration.version, xml: stored });
      },
    };
    const model = createFormFill(
      { api: reviewer, drafts },
      { ...target, version: '', edit: { instanceId: original.instanceId() } },
    );
    const edit = await opened(model);
    expect(asked).toEqual([original.instanceId()]);
    // The stored answers are there to correct, under a new instanceID.
    expect(input(edit, '/data/head/head_register_number').currentState.value).toBe('УК85032715');
    expect(input(edit, '/data/situation/monthly_income').currentState.instanceValue).toBe('450000');
    expect(edit.instanceId()).toMatch(/^uuid:/);
    expect(edit.instanceId()).not.toBe(original.instanceId());
    input(edit, '/data/situation/monthly_income').setValue('520000');
    const members = node(edit, '/data/members');
    if (members.nodeType !== 'repeat-range:uncontrolled') throw new Error('members is not a repeat');
    members.removeInstances(0);
    const result = await model.finalize();
    expect(result).toMatchObject({ kind: 'sent', receipt: { instanceId: edit.instanceId() } });
    const sent = api.submissions.at(-1)?.xml ?? '';
    expect(sent).toContain(`<deprecatedID>${original.instanceId()}</deprecatedID>`);
    expect(sent).toContain(`<instanceID>${edit.instanceId()}</instanceID>`);
    expect(sent).toContain('<monthly_income>520000</monthly_income>');
    expect(sent).toContain(`version="${registration.version}"`);
  });

  it('keeps a refused form as a draft and names the question the server pointed at', async () => {
    const { api, drafts } = await setUp({
      judgeSubmission: () => ({
        title: 'Invalid submission',
        status: 422,
        code: 'submission.invalid',
        detail: 'This register number is already registered.',
        field: '/data/head/head_register_number',
      }),
    });
    const model = createFormFill(
      { api, drafts },
      { projectId: 'p1', formId: registration.formId, version: registration.version },
    );
    const form = await opened(model);
    answerHead(form, 'УК85032715');
    const members = node(form, '/data/members');
    if (members.nodeType === 'repeat-range:uncontrolled') members.removeInstances(0);

    const result = await model.finalize();
    expect(result).toMatchObject({ kind: 'refused', reference: '/data/head/head_register_number' });
    expect((await drafts.list('p1')).map((d) => d.id)).toEqual([form.instanceId()]);
  });

  it('offers the cases of select_one_from_file from the form attachment', async () => {
    const { api, drafts } = await setUp();
    const form = await opened(
      createFormFill({ api, drafts }, { projectId: 'p1', formId: assessment.formId, version: assessment.version }),
    );
    const caseId = select(form, '/data/case_id');
    expect(caseId.currentState.valueOptions.map((o) => o.label.asString)).toEqual(['Б. Болд', 'Д. Сарнай']);
  });
});
