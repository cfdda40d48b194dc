import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Zip, strFromU8, unzipSync } from 'fflate';
import { DeflatedZipEntry, NativeZipDeflate, RawDeflater } from './nativeZipDeflate.js';

// Rows of Cyrillic text, well past several 256 KB compression blocks.
const rows = Array.from({ length: 20_000 }, (_, i) => `${i},Бат-Эрдэнэ ${i % 97},Улаанбаатар,хүнс тэтгэмж\r\n`);
const text = rows.join('');

function zipOf(add: (zip: Zip) => void): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  add(zip);
  zip.end();
  return Buffer.concat(parts);
}

describe('DEFLATE by zlib for export archives', () => {
  it('compresses text pushed row by row into one stream that inflates to the same text, with its CRC and size', () => {
    const out: Uint8Array[] = [];
    let finals = 0;
    const deflater = new RawDeflater((chunk, final) => {
      out.push(chunk);
      if (final) finals += 1;
    });
    for (const row of rows) deflater.pushText(row);
    deflater.pushText('', true);
    const bytes = Buffer.from(text, 'utf8');
    expect(out.length).toBeGreaterThan(2); // several blocks, then the final one
    expect(finals).toBe(1);
    expect(inflateRawSync(Buffer.concat(out)).toString('utf8')).toBe(text);
    expect(deflater.size).toBe(bytes.length);
    expect(deflater.crc).toBe(crc32(bytes));
  });

  it('writes ZIP entries, streamed and handed over pre-compressed, that a reader opens', () => {
    const spilled: Uint8Array[] = [];
    const later = new RawDeflater((chunk) => spilled.push(chunk));
    later.pushText('a,b\r\n1,2\r\n', true);
    const archive = zipOf((zip) => {
      const root = new NativeZipDeflate('root.csv');
      zip.add(root);
      for (const row of rows) root.pushText(row);
      root.pushText('', true);
      const members = new DeflatedZipEntry('members.csv', later.size, later.crc);
      zip.add(members);
      spilled.forEach((chunk, i) => members.push(chunk, i === spilled.length - 1));
    });
    const files = unzipSync(archive);
    expect(Object.keys(files)).toEqual(['root.csv', 'members.csv']);
    expect(strFromU8(files['root.csv'] ?? new Uint8Array())).toBe(text);
    expect(strFromU8(files['members.csv'] ?? new Uint8Array())).toBe('a,b\r\n1,2\r\n');
  });

  it('refuses to write an entry that is not in an archive yet', () => {
    expect(() => new NativeZipDeflate('x.csv').pushText('x', true)).toThrow(/add the entry to a Zip/);
  });
});
