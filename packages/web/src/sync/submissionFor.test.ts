// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memoryStore.js';
import { acknowledge } from '../store/outbox.js';
import { saveRecord } from '../store/saveRecord.js';
import { listDeviceRecords } from './listDeviceRecords.js';
import { submissionFor } from './submissionFor.js';

const instance = (meta: string) => ({
  projectId: 'p1',
  formId: 'mn_household_registration',
  formVersion: '2026050101',
  instanceId: 'uuid:abc',
  xml: `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_household_registration"><head><name>Болд</name></head><meta><instanceID>uuid:abc</instanceID>${meta}</meta></data>`,
  attachments: [{ name: 'photo.jpg', sha256: 'a'.repeat(64), bytes: 1200 }],
});

describe('saving a finalized form', () => {
  it('shows a new case at once under the label the form computed', () => {
    const { item, record } = submissionFor(
      instance('<entity dataset="cases" id="uuid:case-1" create="1"><label>Б. Болд</label></entity>'),
      new Date('2026-05-01T08:00:00Z'),
    );
    expect(record).toEqual({
      id: 'uuid:case-1',
      list: 'cases',
      properties: {
        __projectId: 'p1',
        __formId: 'mn_household_registration',
        __savedAt: '2026-05-01T08:00:00.000Z',
        __label: 'Б. Болд',
        __status: 'open',
      },
    });
    expect(item).toMatchObject({
      instanceId: 'uuid:abc',
      formVersion: '2026050101',
      createdAt: '2026-05-01T08:00:00.000Z',
    });
    expect(item.attachments).toEqual([{ name: 'photo.jpg', sha256: 'a'.repeat(64), bytes: 1200 }]);
  });

  it('touches no record when consent was refused (create="0") or no entity is declared', () => {
    const refused = submissionFor(
      instance('<entity dataset="cases" id="uuid:x" create="0"><label/></entity>'),
      new Date(),
    );
    const plain = submissionFor(instance(''), new Date());
    expect(refused.record).toBeNull();
    expect(plain.record).toBeNull();
  });
});

describe('a visit saved on the device moves its case at once', () => {
  const xform = `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
    xmlns:entities="http://www.opendatakit.org/xforms/entities"><h:head><model>
    <bind nodeset="/data/needs" type="string" entities:saveto="needs"/>
    <bind nodeset="/data/next_visit_date" type="date" entities:saveto="next_visit_date"/>
    <bind nodeset="/data/case_status" type="string" entities:saveto="case_status"/>
  </model></h:head></h:html>`;
  const visitXml = `<data id="mn_visit"><case_id>uuid:case-1</case_id><needs>food health</needs>
    <case_status>in_progress</case_status><meta><instanceID>uuid:v1</instanceID>
    <entity dataset="cases" id="uuid:case-1" update="1" baseVersion="3"/></meta></data>`;

  it('shows the status and answers the visit set over the case the server sent', async () => {
    const store = createMemoryStore();
    await store.transaction('readwrite', ['records'], (tx) =>
      tx.put('records', [
        {
          id: 'uuid:case-1',
          list: 'cases',
          scope: 'p.p1.1.0',
          version: 3,
          seq: 7,
          data: { __label: 'Б. Болд', __status: 'open', needs: 'food', next_visit_date: '2026-04-05' },
          pending: null,
          pendingSeq: 0,
        },
      ]),
    );
    const { item, record } = submissionFor(
      { ...instance(''), formId: 'mn_visit', xml: visitXml, xform },
      new Date('2026-05-01T08:00:00Z'),
    );
    await saveRecord(store, record, item);

    const [shown] = await listDeviceRecords(store);
    expect(shown).toMatchObject({ label: 'Б. Болд', status: 'in_progress', state: 'pending' });
    // The question the visit did not carry keeps the value the case has.
    expect(shown?.properties).toMatchObject({ needs: 'food health', next_visit_date: '2026-04-05' });
  });
});

describe('a household with its members (entities in a repeat, two lists)', () => {
  const xform = `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
    xmlns:entities="http://www.opendatakit.org/xforms/entities"><h:head><model>
    <bind nodeset="/data/hh_name" type="string" entities:saveto="hh_name"/>
    <bind nodeset="/data/member/member_name" type="string" entities:saveto="full_name"/>
    <bind nodeset="/data/member/age" type="int" entities:saveto="age"/>
  </model></h:head></h:html>`;
  const member = (id: string, name: string, age: string) =>
    `<member><member_name>${name}</member_name><age>${age}</age><meta><entity dataset="people" id="${id}" create="1"><label>${name}</label></entity></meta></member>`;
  const xml = `<data id="household_members"><hh_name>Dorj household</hh_name>${member('m1', 'Dorj', '44')}${member('m2', 'Oyun', '41')}<meta><instanceID>uuid:h</instanceID><entity dataset="households" id="h1" create="1"><label>Dorj household</label></entity></meta></data>`;

  it('makes the household the record and each member a further record with its own answers', () => {
    const { record, others } = submissionFor(
      {
        projectId: 'p1',
        formId: 'household_members',
        formVersion: '1',
        instanceId: 'uuid:h',
        xml,
        attachments: [],
        xform,
      },
      new Date('2026-12-07T08:00:00Z'),
    );
    expect(record).toMatchObject({
      id: 'h1',
      list: 'households',
      properties: { hh_name: 'Dorj household', __label: 'Dorj household' },
    });
    expect(others.map((o) => [o.id, o.list, o.properties])).toEqual([
      ['m1', 'people', expect.objectContaining({ full_name: 'Dorj', age: '44', __label: 'Dorj', __status: 'open' })],
      ['m2', 'people', expect.objectContaining({ full_name: 'Oyun', age: '41', __label: 'Oyun' })],
    ]);
    expect(others[0]?.properties).not.toHaveProperty('hh_name');
  });

  it('saves the members pending with the household and settles them with it', async () => {
    const store = createMemoryStore();
    const { item, record, others } = submissionFor(
      {
        projectId: 'p1',
        formId: 'household_members',
        formVersion: '1',
        instanceId: 'uuid:h',
        xml,
        attachments: [],
        xform,
      },
      new Date(),
    );
    const { seq } = await saveRecord(store, record, item, { others });
    expect((await listDeviceRecords(store)).map((r) => [r.id, r.state])).toEqual([
      ['m1', 'pending'],
      ['h1', 'pending'],
      ['m2', 'pending'],
    ]);
    await acknowledge(store, seq, [{ seq, instanceId: 'uuid:h', outcome: 'accepted' }]);
    expect((await listDeviceRecords(store)).every((r) => r.pendingSeq === 0)).toBe(true);
  });
});
