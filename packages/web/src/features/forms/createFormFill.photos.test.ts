// @vitest-environment jsdom
import '../../forms/__fixtures__/engineInNode.js';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { OutpostApi } from '../../api/OutpostApi.js';
import type { SubmissionForEdit } from '../../api/ReviewApi.js';
import { compileSurvey, sha256, uploadNode } from '../../forms/__fixtures__/photoForms.js';
import { createDraftStore } from '../../forms/drafts.js';
import { findNode, openForm, type InstanceAttachment, type OpenedForm } from '../../forms/openForm.js';
import { createFormFill } from './createFormFill.js';

// Editing a submission with a photo (issue 12 point 1): the form opens with the stored photo,
// keeps it unless it is replaced, and sends only a replacing photo before the edit itself.

const xform = compileSurvey(
  [
    ['type', 'name', 'label'],
    ['image', 'door_photo', 'Photo of the door'],
    ['text', 'note', 'Note'],
  ],
  'Door check',
  'door_check',
);

const doorPhoto = new Uint8Array(3000).map((_, i) => (i * 13) % 256);
const newPhoto = new Uint8Array(2000).map((_, i) => (i * 7) % 256);

const question = (form: OpenedForm, name: string) => {
  const node = findNode(form.root, (n) => n.currentState.reference === `/data/${name}`);
  if (node === undefined) throw new Error(`no question ${name}`);
  return node;
};

/** A stored submission with its photo, as the server's edit route gives it. */
async function storedSubmission(): Promise<SubmissionForEdit & { photoName: string }> {
  const form = await openForm({ xml: xform, attachment: () => Promise.reject(new Error('none')) });
  uploadNode(form, 'door_photo').setValue(new File([doorPhoto], 'image.jpg', { type: 'image/jpeg' }));
  const note = question(form, 'note');
  if (note.nodeType !== 'input') throw new Error('note');
  note.setValue('blue door');
  const { xml, attachments } = await form.serialize();
  const photoName = attachments[0]?.name ?? '';
  return {
    instanceId: form.instanceId(),
    formId: 'door_check',
    version: '1',
    xml,
    photoName,
    attachments: [{ name: photoName, sha256: sha256(doorPhoto), contentType: 'image/jpeg', bytes: doorPhoto.length }],
  };
}

async function editOf(stored: SubmissionForEdit) {
  const sent: string[] = [];
  const uploads: { instanceId: string; files: readonly InstanceAttachment[] }[] = [];
  const fetched: string[] = [];
  const api = {
    getSubmissionForEdit: () => Promise.resolve(stored),
    getSubmissionFile: (_p: string, hash: string) => {
      fetched.push(hash);
      return Promise.resolve(new Blob([doorPhoto], { type: 'image/jpeg' }));
    },
    getFormXml: () => Promise.resolve(xform),
    getFormAttachment: () => Promise.reject(new Error('none')),
    submit: (_p: string, xml: string) => {
      sent.push(xml);
      return Promise.resolve({ instanceId: 'x', created: true });
    },
  } as unknown as OutpostApi;
  const drafts = createDraftStore({ name: `drafts-${Math.random()}`, indexedDB: new IDBFactory(), IDBKeyRange });
  const model = createFormFill(
    {
      api,
      drafts,
      sendFiles: (_projectId, instanceId, files) => {
        // The photo is on the server before the edit that names it.
        expect(sent).toEqual([]);
        uploads.push({ instanceId, files });
        return Promise.resolve();
      },
    },
    { projectId: 'p1', formId: 'door_check', version: '', edit: { instanceId: stored.instanceId } },
  );
  await model.load();
  const form = model.form();
  if (!form) throw new Error(`the form did not open: ${String(model.loadError())}`);
  return { model, form, sent, uploads, fetched };
}

describe('editing a submission with a photo', () => {
  it('opens with the stored photo and keeps it without sending it again', async () => {
    const stored = await storedSubmission();
    const { model, form, sent, uploads, fetched } = await editOf(stored);
    expect(fetched).toEqual([sha256(doorPhoto)]);
    const shown = uploadNode(form, 'door_photo').currentState.value;
    expect(shown).not.toBeNull();
    expect(sha256(await (shown as File).arrayBuffer())).toBe(sha256(doorPhoto));
    const note = question(form, 'note');
    if (note.nodeType !== 'input') throw new Error('note');
    note.setValue('green door');

    expect(await model.finalize()).toMatchObject({ kind: 'sent' });
    expect(uploads).toEqual([]);
    expect(sent[0]).toContain(`<door_photo>${stored.photoName}</door_photo>`);
    expect(sent[0]).toContain(`<deprecatedID>${stored.instanceId}</deprecatedID>`);
    expect(sent[0]).toContain('<note>green door</note>');
  });

  it('sends a replacing photo under its new name, then the edit naming it', async () => {
    const stored = await storedSubmission();
    const { model, form, sent, uploads } = await editOf(stored);
    uploadNode(form, 'door_photo').setValue(new File([newPhoto], 'image.jpg', { type: 'image/jpeg' }));

    expect(await model.finalize()).toMatchObject({ kind: 'sent' });
    expect(uploads).toHaveLength(1);
    const [file] = uploads[0]?.files ?? [];
    expect(uploads[0]?.instanceId).toBe(form.instanceId());
    expect(file?.name).not.toBe(stored.photoName);
    expect(sha256(file?.bytes ?? new ArrayBuffer(0))).toBe(sha256(newPhoto));
    expect(sent[0]).toContain(`<door_photo>${file?.name}</door_photo>`);
    expect(sent[0]).not.toContain(stored.photoName);
  });
});
