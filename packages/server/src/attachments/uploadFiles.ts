import fs from 'node:fs/promises';
import path from 'node:path';
import { FileConfigstore, FileStore } from '@tus/file-store';
import type { Upload } from '@tus/server';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../storage/privateFiles.js';

/** Upload descriptions a process keeps in memory; far more than the uploads in progress at once. */
const rememberedUploads = 1000;

/**
 * tus's `<id>.json` files (an upload's size, metadata and owner), created private (0600) and
 * remembered by this process: a PATCH reads its upload's description twice (the route's owner
 * check, then the tus server's), and reading it from memory saves opening the file each time.
 *
 * Safe to remember across processes because a description never changes once written: ids are
 * random and never reused, and the length cannot be set later (creation requires Upload-Length;
 * tus refuses a new length for an upload that has one). Whether the upload still exists is not
 * remembered: the FileStore checks the upload's file on every read, so an upload another process
 * finished or removed is gone here too.
 */
export class UploadDescriptions extends FileConfigstore {
  // Kept as JSON text: every read gets its own object, as from the file.
  private readonly known = new Map<string, string>();

  private fileOf(key: string): string {
    return path.join(this.directory, `${key}.json`);
  }

  private remember(key: string, json: string): void {
    this.known.delete(key);
    this.known.set(key, json);
    if (this.known.size > rememberedUploads) {
      const oldest = this.known.keys().next();
      if (oldest.done !== true) this.known.delete(oldest.value);
    }
  }

  override async get(key: string): Promise<Upload | undefined> {
    const json = this.known.get(key);
    if (json !== undefined) return JSON.parse(json) as Upload;
    const read = await super.get(key);
    if (read !== undefined) this.remember(key, JSON.stringify(read));
    return read;
  }

  override async set(key: string, value: Upload): Promise<void> {
    const json = JSON.stringify(value);
    await fs.writeFile(this.fileOf(key), json, { mode: PRIVATE_FILE_MODE });
    this.remember(key, json);
  }

  override async delete(key: string): Promise<void> {
    this.known.delete(key);
    await super.delete(key);
  }
}

/**
 * tus's FileStore with uploads in progress as private as a stored blob (0600, whatever the
 * umask): the upload's file and its description are created with that mode rather than changed
 * afterwards. The folder is made once, before the store is built (see `createUploadServer`), and
 * again only if a creation finds it gone.
 */
export class PrivateFileStore extends FileStore {
  constructor(directory: string, expirationPeriodInMilliseconds: number) {
    super({ directory, configstore: new UploadDescriptions(directory), expirationPeriodInMilliseconds });
  }

  override async create(file: Upload): Promise<Upload> {
    const filePath = path.join(this.directory, file.id);
    try {
      await fs.writeFile(filePath, '', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    } catch (err) {
      // The folder was removed while the server ran: make it again, as private as before.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await fs.mkdir(this.directory, { recursive: true, mode: PRIVATE_DIR_MODE });
      await fs.writeFile(filePath, '', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    }
    await this.configstore.set(file.id, file);
    file.storage = { type: 'file', path: filePath };
    return file;
  }
}
