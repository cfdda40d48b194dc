// @vitest-environment jsdom
import './__fixtures__/engineInNode.js';
import { describe, expect, it } from 'vitest';
import { photoForQuestion } from './downscaleImage.js';
import { compileSurvey, sha256, uploadNode } from './__fixtures__/photoForms.js';
import { openForm } from './openForm.js';

const xml = compileSurvey(
  [
    ['type', 'name', 'label', 'parameters'],
    ['image', 'evidence_photo', 'Evidence photo', ''],
    ['image', 'overview_photo', 'Overview photo', 'max-pixels=400'],
  ],
  'Photos',
  'photos',
);

const upload = uploadNode;

describe('photos in an instance', () => {
  // Not a decodable picture: bytes a re-encoding could never reproduce.
  const camera = new Uint8Array(4096).map((_, i) => (i * 31) % 256);
  const taken = () => new File([camera], 'image.jpg', { type: 'image/jpeg' });

  it('keeps the original file, byte for byte, when the question sets no max-pixels', async () => {
    const form = await openForm({ xml, attachment: () => Promise.reject(new Error('none')) });
    expect(upload(form, 'evidence_photo').maxPixels).toBeNull();
    expect(upload(form, 'overview_photo').maxPixels).toBe(400);
    const kept = await photoForQuestion(taken(), upload(form, 'evidence_photo').maxPixels);
    expect(sha256(new Uint8Array(await kept.arrayBuffer()))).toBe(sha256(camera));
  });

  it('names two photos of the same file apart, and both carry the original bytes', async () => {
    const form = await openForm({ xml, attachment: () => Promise.reject(new Error('none')) });
    upload(form, 'evidence_photo').setValue(taken());
    upload(form, 'overview_photo').setValue(taken());
    const { xml: instance, attachments } = await form.serialize();
    const names = attachments.map((a) => a.name);
    expect(new Set(names).size).toBe(2);
    for (const name of names) {
      expect(name).toMatch(/^image-\d+-[\w-]+\.jpg$/);
      expect(instance).toContain(`>${name}<`);
    }
    expect(attachments.map((a) => sha256(a.bytes))).toEqual([sha256(camera), sha256(camera)]);
  });
});
