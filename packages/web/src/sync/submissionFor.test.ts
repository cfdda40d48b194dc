// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
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
