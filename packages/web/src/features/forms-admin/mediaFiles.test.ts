import { describe, expect, it } from 'vitest';
import { mediaRows, mediaToSend } from './mediaFiles.js';

const file = (name: string) => new File([new Uint8Array([1, 2, 3])], name);
// "й" typed as и + combining breve (NFD), as some file systems hand names over.
const decomposed = 'хуудас-и\u0306.png';
const composed = decomposed.normalize('NFC');

describe('the media files of a checked form', () => {
  it('marks each named file stored, attached or missing, and lists chosen files the form does not name', () => {
    expect(
      mediaRows(['a.png', 'b.mp3', composed], ['a.png'], [file('b.mp3'), file('stray.txt'), file(decomposed)]),
    ).toEqual([
      { name: 'a.png', state: 'stored' },
      { name: 'b.mp3', state: 'attached' },
      { name: composed, state: 'attached' },
      { name: 'stray.txt', state: 'unexpected' },
    ]);
  });

  it('sends only chosen files the form names that are not stored yet', () => {
    const chosen = [file('a.png'), file('b.mp3'), file('stray.txt')];
    expect(mediaToSend(['a.png', 'b.mp3'], ['a.png'], chosen).map((f) => f.name)).toEqual(['b.mp3']);
    expect(mediaToSend(['a.png'], [], [])).toEqual([]);
  });
});
