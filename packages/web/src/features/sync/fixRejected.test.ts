// @vitest-environment jsdom
import '../../forms/__fixtures__/engineInNode.js';
import { describe, expect, it } from 'vitest';
import { compileSurvey, sha256, uploadNode } from '../../forms/__fixtures__/photoForms.js';
import { openForm } from '../../forms/openForm.js';
import type { OutboxEntry } from '../../store/outbox.js';
import { submissionFor } from '../../sync/submissionFor.js';
import { draftOfRejected } from './fixRejected.js';

// "Open and fix" for a refused form with photos (issue 11): the draft it opens carries the
// photos, from the device's upload queue or, once sent, from the server; nothing is lost.

const xform = compileSurvey(
  [
    ['type', 'name', 'label'],
    ['image', 'door_photo', 'Photo of the door'],
    ['image', 'yard_photo', 'Photo of the yard'],
  ],
  'Door check',
  'door_check',
);

const door = new Uint8Array(3000).map((_, i) => (i * 13) % 256);
const yard = new Uint8Array(2500).map((_, i) => (i * 5) % 256);
const upload = uploadNode;

describe('opening a refused form with photos to fix it', () => {
  it('brings its photos: the queued one from the device, the sent one from the server', async () => {
    const noFiles = () => Promise.reject(new Error('none'));
    const filled = await openForm({ xml: xform, attachment: noFiles });
    upload(filled, 'door_photo').setValue(new File([door], 'image.jpg', { type: 'image/jpeg' }));
    upload(filled, 'yard_photo').setValue(new File([yard], 'image.jpg', { type: 'image/jpeg' }));
    const { xml, attachments } = await filled.serialize();

    // The door photo still waits in the device's upload queue; the yard photo was sent (the queue
    // dropped its bytes). The queue's own read is tested with the queue.
    const doorFile = attachments.find((a) => sha256(a.bytes) === sha256(door));
    const yardFile = attachments.find((a) => sha256(a.bytes) === sha256(yard));
    if (doorFile === undefined || yardFile === undefined) throw new Error('photos not serialized');
    const queue = new Map([[sha256(door), new Blob([doorFile.bytes], { type: 'image/jpeg' })]]);
    const fromServer: string[] = [];
    const { item } = submissionFor(
      {
        projectId: 'p1',
        formId: 'door_check',
        formVersion: '1',
        instanceId: filled.instanceId(),
        xml,
        attachments: attachments.map((a) => ({ name: a.name, sha256: sha256(a.bytes), bytes: a.bytes.byteLength })),
      },
      new Date(),
    );
    const entry: OutboxEntry = {
      seq: 7,
      state: 'rejected',
      recordId: null,
      bytes: xml.length,
      savedAt: new Date().toISOString(),
      item,
      rejection: { code: 'submission.invalid', at: new Date().toISOString() },
    };

    const draft = await draftOfRejected(entry, 'Door check', '', new Date(), {
      queued: (hash) => Promise.resolve(queue.get(hash) ?? null),
      sent: (hash) => {
        fromServer.push(hash);
        return Promise.resolve(new Blob([yard], { type: 'image/jpeg' }));
      },
    });
    if (draft === null) throw new Error('no draft');
    expect(fromServer).toEqual([sha256(yard)]);
    expect(draft.id).toBe(filled.instanceId());
    expect(draft.attachments.map((a) => [a.name, sha256(a.bytes), a.type])).toEqual(
      attachments.map((a) => [a.name, sha256(a.bytes), 'image/jpeg']),
    );

    // Opened, the form shows both photos and saves them again under the same names.
    const reopened = await openForm({ xml: xform, attachment: noFiles }, { restore: draft });
    const shown = upload(reopened, 'door_photo').currentState.value;
    expect(shown).not.toBeNull();
    expect(sha256(await (shown as File).arrayBuffer())).toBe(sha256(door));
    const again = await reopened.serialize();
    expect(reopened.instanceId()).toBe(filled.instanceId());
    expect(again.attachments.map((a) => [a.name, sha256(a.bytes)])).toEqual(
      attachments.map((a) => [a.name, sha256(a.bytes)]),
    );
  });

  it('opens nothing for an entry that was not refused', async () => {
    const entry = { state: 'pending', item: { attachments: [] } } as unknown as OutboxEntry;
    const files = { queued: () => Promise.resolve(null), sent: () => Promise.reject(new Error('no')) };
    expect(await draftOfRejected(entry, '', '', new Date(), files)).toBeNull();
  });
});
