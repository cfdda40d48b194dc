import type { FileReader, FileSource } from 'tus-js-client';

/**
 * tus-js-client reads Blobs in browsers but only Buffers and streams in Node. This reader hands
 * out each chunk as bytes, which both of its HTTP stacks accept, so one queue runs everywhere.
 */
export const blobFileReader: FileReader = {
  openFile(input: unknown): Promise<FileSource> {
    if (!(input instanceof Blob)) return Promise.reject(new Error('the attachment queue uploads Blobs only'));
    const blob = input;
    return Promise.resolve({
      size: blob.size,
      async slice(start: number, end: number) {
        const bytes = new Uint8Array(await blob.slice(start, end).arrayBuffer());
        // The Node HTTP stack reads `size` for Content-Length.
        const value = Object.assign(bytes, { size: bytes.byteLength });
        return { value, done: end >= blob.size };
      },
      close() {},
    });
  },
};
