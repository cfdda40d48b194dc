import { inflateRawSync } from 'node:zlib';

/** What an uploaded .xlsx may unpack to. */
export interface ZipLimits {
  /** Sum of the entries' uncompressed sizes. */
  maxUnpackedBytes: number;
  /** Files in the archive. */
  maxEntries: number;
}

export type ZipCheck = { ok: true; unpackedBytes: number } | { ok: false; tooLarge: boolean; detail: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * Checks a zip archive before anything unpacks it: reads the central directory, refuses an
 * archive whose entries declare more than the limits, then inflates each entry with its declared
 * size as a hard ceiling (zlib's maxOutputLength), so an entry that lies about its size is caught
 * at that size instead of after it has filled memory. A zip bomb costs at most `maxUnpackedBytes`.
 */
export function checkZipBounds(bytes: Uint8Array, limits: ZipLimits): ZipCheck {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const broken = (why: string): ZipCheck => ({ ok: false, tooLarge: false, detail: `The archive is damaged: ${why}.` });
  const eocd = findEndOfCentralDirectory(buf);
  if (eocd < 0) return broken('no end of central directory');
  const entries = buf.readUInt16LE(eocd + 10);
  const directoryOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || directoryOffset === 0xffffffff) return broken('ZIP64 archives are not workbooks');
  if (entries > limits.maxEntries) {
    return {
      ok: false,
      tooLarge: true,
      detail: `The workbook holds ${entries} files; the limit is ${limits.maxEntries}.`,
    };
  }
  const declared: Array<{ method: number; compressed: number; size: number; local: number }> = [];
  let total = 0;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) return broken('a bad central directory entry');
    const entry = {
      method: buf.readUInt16LE(at + 10),
      compressed: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      local: buf.readUInt32LE(at + 42),
    };
    total += entry.size;
    if (total > limits.maxUnpackedBytes) {
      return {
        ok: false,
        tooLarge: true,
        detail: `The workbook unpacks to more than ${limits.maxUnpackedBytes} bytes (the limit).`,
      };
    }
    declared.push(entry);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  for (const entry of declared) {
    if (entry.local + 30 > buf.length || buf.readUInt32LE(entry.local) !== LOCAL) return broken('a bad local header');
    const start = entry.local + 30 + buf.readUInt16LE(entry.local + 26) + buf.readUInt16LE(entry.local + 28);
    const data = buf.subarray(start, start + entry.compressed);
    if (entry.method === STORED) {
      if (data.length !== entry.size) return broken('a stored file of the wrong size');
    } else if (entry.method === DEFLATED) {
      try {
        // One byte more than declared: an entry that inflates past its declared size stops there.
        const inflated = inflateRawSync(data, { maxOutputLength: entry.size + 1 });
        if (inflated.length !== entry.size) return broken('a file that inflates to another size than it declares');
      } catch {
        return broken('a file that does not inflate within its declared size');
      }
    } else {
      return broken(`compression method ${entry.method}`);
    }
  }
  return { ok: true, unpackedBytes: total };
}

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65,535.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}
