// @vitest-environment jsdom
import '../../forms/__fixtures__/engineInNode.js';
import type { InputNode, SelectNode } from '@getodk/xforms-engine';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createMemoryApi } from '../../api/createMemoryApi.js';
import { createDraftStore } from '../../forms/drafts.js';
import type { FormNode } from '../../forms/engineTypes.js';
import householdXml from '../../forms/__fixtures__/household_registration.xml?raw';
import { findNode, type OpenedForm } from '../../forms/openForm.js';
import { createMemoryStore } from '../../store/memoryStore.js';
import { nextBatch } from '../../store/outbox.js';
import { saveRecord } from '../../store/saveRecord.js';
import { listDeviceRecords } from '../../sync/listDeviceRecords.js';
import { submissionFor } from '../../sync/submissionFor.js';
import { createFormFill } from './createFormFill.js';

const registration = { formId: 'mn_household_registration', version: '2026112701', title: 'Өрхийн бүртгэл' };

function node(form: OpenedForm, reference: string): FormNode {
  const found = findNode(form.root, (n) => n.currentState.reference === reference);
  if (!found) throw new Error(`no question ${reference}`);
  return found;
}

describe('finalizing on the device (offline-first)', () => {
  it('saves the record and its outbox entry instead of posting, and forgets the draft', async () => {
    const api = createMemoryApi({
      accounts: [{ user: { id: 'u1', username: 'fw', displayName: 'FW', role: 'fieldworker' }, password: 'pw' }],
      projects: [{ id: 'p1', slug: 'bz', name: 'Bayanzürkh', role: 'fieldworker' }],
      cases: { p1: [] },
      forms: { p1: [{ summary: registration, xml: householdXml }] },
    });
    await api.login('fw', 'pw');
    const drafts = createDraftStore({ name: `drafts-${Math.random()}`, indexedDB: new IDBFactory(), IDBKeyRange });
    const store = createMemoryStore();
    const model = createFormFill(
      {
        api,
        drafts,
        saveLocally: async (form) => {
          const { item, record } = submissionFor(
            { ...form, formVersion: form.version, attachments: [] },
            new Date('2026-05-01T08:00:00Z'),
          );
          return saveRecord(store, record, item);
        },
      },
      { projectId: 'p1', formId: registration.formId, version: registration.version },
    );
    await model.load();
    const form = model.form();
    if (!form) throw new Error(`not open: ${String(model.loadError())}`);
    (node(form, '/data/consent') as SelectNode).selectValue('yes');
    (node(form, '/data/head/head_fathers_name') as InputNode).setValue('Батын');
    (node(form, '/data/head/head_given_name') as InputNode).setValue('Болд');
    (node(form, '/data/head/head_dob') as InputNode).setValue('1985-03-27');
    (node(form, '/data/head/head_sex') as SelectNode).selectValue('male');
    (node(form, '/data/address/soum') as SelectNode).selectValue('MN1110');
    const bag = node(form, '/data/address/bag') as SelectNode;
    bag.selectValue(bag.currentState.valueOptions[0]?.value ?? null);
    const members = node(form, '/data/members');
    if (members.nodeType !== 'repeat-range:uncontrolled') throw new Error('members is not a repeat');
    members.removeInstances(0);
    await model.saveDraft();

    const result = await model.finalize();

    expect(result).toEqual({ kind: 'saved', seq: 1 });
    expect(api.submissions).toEqual([]);
    const [entry] = await nextBatch(store, 10, 1_000_000);
    expect(entry?.item).toMatchObject({ instanceId: form.instanceId(), formId: registration.formId });
    const records = await listDeviceRecords(store);
    expect(records.map((r) => [r.label, r.list, r.state])).toEqual([['Б. Болд', 'cases', 'pending']]);
    expect(await drafts.list('p1')).toEqual([]);
  });
});
