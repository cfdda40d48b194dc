import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { Zip } from 'fflate';
import type { AsyncFlateStreamHandler, ZipInputFile } from 'fflate';

/** Input held before it is compressed: large enough that the deflate window's resets cost nothing. */
const BLOCK = 256 * 1024;

/**
 * DEFLATE in Node's zlib (C) instead of fflate's JavaScript deflate, which was most of an
 * export's time. Text and bytes are held until `BLOCK` is reached and compressed as one
 * sync-flushed raw-deflate run; runs are independent deflate blocks, so their concatenation, ended
 * by a final block, is one valid DEFLATE stream (APPNOTE 4.4.5, method 8). CRC-32 and size are
 * counted over the input, as a ZIP entry needs them.
 */
export class RawDeflater {
  size = 0;
  crc = 0;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private text = '';

  constructor(
    private readonly sink: (chunk: Uint8Array, final: boolean) => void,
    private readonly level = 6,
  ) {}

  /** Adds text (UTF-8); rows are joined here and encoded once per block. */
  pushText(text: string, final = false): void {
    this.text += text;
    if (this.text.length >= BLOCK || final) this.takeText();
    this.compress(final);
  }

  push(chunk: Uint8Array, final = false): void {
    this.takeText();
    this.take(chunk);
    this.compress(final);
  }

  private takeText(): void {
    if (this.text === '') return;
    this.take(Buffer.from(this.text, 'utf8'));
    this.text = '';
  }

  private take(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.size += chunk.length;
    this.crc = crc32(chunk, this.crc);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
  }

  private compress(final: boolean): void {
    if (this.heldBytes < BLOCK && !final) return;
    const input = Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    const finishFlush = final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH;
    const out = deflateRawSync(input, { level: this.level, finishFlush });
    this.sink(new Uint8Array(out.buffer, out.byteOffset, out.length), final);
  }
}

/** A ZIP entry for fflate's streaming `Zip`, compressed by `RawDeflater`. */
export class NativeZipDeflate implements ZipInputFile {
  readonly compression = 8;
  ondata?: AsyncFlateStreamHandler;
  private readonly deflater = new RawDeflater((chunk, final) => {
    if (this.ondata === undefined) throw new Error(`${this.filename}: add the entry to a Zip before writing to it`);
    this.ondata(null, chunk as Uint8Array<ArrayBuffer>, final);
  });

  constructor(readonly filename: string) {}

  get size(): number {
    return this.deflater.size;
  }

  get crc(): number {
    return this.deflater.crc;
  }

  pushText(text: string, final = false): void {
    this.deflater.pushText(text, final);
  }

  push(chunk: Uint8Array, final = false): void {
    this.deflater.push(chunk, final);
  }
}

/** A ZIP entry whose DEFLATE data was made before (by a `RawDeflater`), handed over as it is. */
export class DeflatedZipEntry implements ZipInputFile {
  readonly compression = 8;
  ondata?: AsyncFlateStreamHandler;

  constructor(
    readonly filename: string,
    readonly size: number,
    readonly crc: number,
  ) {}

  push(deflated: Uint8Array, final = false): void {
    if (this.ondata === undefined) throw new Error(`${this.filename}: add the entry to a Zip before writing to it`);
    this.ondata(null, deflated as Uint8Array<ArrayBuffer>, final);
  }
}

/**
 * A streaming ZIP archive written to `out`: entries are added to `zip`; `flush` hands over what
 * the archive has made so far (waiting when `out` is full); `end` finishes it.
 */
export function zipTo(out: Writable): { zip: Zip; flush: () => Promise<void>; end: () => Promise<void> } {
  const pending: Uint8Array[] = [];
  let finished = false;
  const zip = new Zip((err, chunk, final) => {
    if (err) throw err;
    pending.push(chunk);
    if (final) finished = true;
  });
  const flush = async (): Promise<void> => {
    for (let chunk = pending.shift(); chunk !== undefined; chunk = pending.shift())
      if (!out.write(chunk)) await once(out, 'drain');
  };
  const end = async (): Promise<void> => {
    zip.end();
    await flush();
    if (!finished) throw new Error('the zip did not finish');
  };
  return { zip, flush, end };
}
