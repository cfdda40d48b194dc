// @vitest-environment jsdom
import '../../forms/__fixtures__/engineInNode.js';
import type { SelectNode } from '@getodk/xforms-engine';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createMemoryApi } from '../../api/createMemoryApi.js';
import type { FormSummary } from '../../api/OutpostApi.js';
import { createDraftStore } from '../../forms/drafts.js';
import { entityUpdateOf } from '../../forms/entityUpdate.js';
import assessmentXml from '../../forms/__fixtures__/assessment.xml?raw';
import householdXml from '../../forms/__fixtures__/household_registration.xml?raw';
import { findNode, type OpenedForm } from '../../forms/openForm.js';
import { createFormFill } from '../forms/createFormFill.js';
import { followUpPath, listFollowUpForms } from './followUpForms.js';

const registration: FormSummary = {
  formId: 'mn_household_registration',
  version: '2026112701',
  title: 'Өрхийн бүртгэл',
};
const assessment: FormSummary = { formId: 'mn_assessment', version: '2026112701', title: 'Үнэлгээ' };
const casesCsv = 'name,label,__version\r\ncase-1,Б. Болд,1\r\ncase-2,Б. Болд,3\r\ncase-3,Д. Сарнай,1\r\n';

async function setUp() {
  const api = createMemoryApi({
    accounts: [{ user: { id: 'u1', username: 'fw', displayName: 'FW', role: 'fieldworker' }, password: 'pw' }],
    projects: [{ id: 'p1', slug: 'bz', name: 'Bayanzürkh', role: 'fieldworker' }],
    cases: { p1: [] },
    forms: {
      p1: [
        { summary: registration, xml: householdXml },
        { summary: assessment, xml: assessmentXml, attachments: { 'cases.csv': casesCsv } },
      ],
    },
  });
  await api.login('fw', 'pw');
  const drafts = createDraftStore({ name: `drafts-${Math.random()}`, indexedDB: new IDBFactory(), IDBKeyRange });
  return { api, drafts };
}

function textAt(form: OpenedForm, reference: string): unknown {
  return findNode(form.root, (n) => n.currentState.reference === reference)?.currentState.value;
}

describe('follow-up forms started from a case', () => {
  it('reads which list a form updates and which question chooses the case', () => {
    expect(entityUpdateOf(assessmentXml)).toEqual({ dataset: 'cases', idQuestion: '/data/case_id' });
    // The registration creates cases; it updates none.
    expect(entityUpdateOf(householdXml)).toBeNull();
  });

  it('offers a case the forms that update its list, linked with the case', async () => {
    const { api } = await setUp();
    const forms = await listFollowUpForms(api, 'p1');
    expect(forms.map((f) => [f.formId, f.dataset])).toEqual([['mn_assessment', 'cases']]);
    expect(followUpPath('p1', assessment, 'case-2')).toBe(
      '/projects/p1/forms/mn_assessment/versions/2026112701?case=case-2',
    );
  });

  it('opens a new instance with the household already chosen, and its entity id and base version follow', async () => {
    const { api, drafts } = await setUp();
    const target = { projectId: 'p1', formId: assessment.formId, version: assessment.version };
    const model = createFormFill({ api, drafts }, { ...target, entityId: 'case-2' });
    await model.load();
    const form = model.form();
    if (!form) throw new Error(`not open: ${String(model.loadError())}`);
    const picker = findNode(form.root, (n) => n.currentState.reference === '/data/case_id') as SelectNode;
    expect(picker.currentState.value).toEqual(['case-2']);
    expect(picker.getValueOption('case-2')?.label.asString).toBe('Б. Болд');
    const { xml } = await form.serialize();
    expect(xml).toMatch(/<entity [^>]*\bid="case-2"/);
    expect(xml).toMatch(/<entity [^>]*\bbaseVersion="3"/);

    // A draft reopens as it was saved, even when the link names another case.
    picker.selectValue('case-3');
    const draft = await model.saveDraft();
    const again = createFormFill({ api, drafts }, { ...target, draftId: draft.id, entityId: 'case-1' });
    await again.load();
    const reopened = again.form();
    if (!reopened) throw new Error('draft did not open');
    expect(textAt(reopened, '/data/case_id')).toEqual(['case-3']);

    // Without a case, nothing is chosen.
    const blank = createFormFill({ api, drafts }, target);
    await blank.load();
    expect(textAt(blank.form() as OpenedForm, '/data/case_id')).toEqual([]);
  });
});
