import type { LocalStore } from '../store/LocalStore.js';
import type { ValueCodec } from '../store/ValueCodec.js';
import { inProject, openDeviceRecords, type DeviceRecord, type OpenedDeviceRecords } from './listDeviceRecords.js';

/** An unlocked device: its store and the codec that opens its sealed values. */
export interface OpenedDevice {
  readonly store: LocalStore;
  readonly codec: ValueCodec;
  /**
   * Changes whenever the device's records or outbox may have changed (`DeviceSync.revision`).
   * While it stays the same, the kept records are the answer and the store is not read at all.
   */
  readonly revision?: () => number;
}

interface Opened extends OpenedDeviceRecords {
  readonly revision: number | null;
}

// The opened (decrypted) records of each unlocked device. Keyed by the device object, which lives
// as long as one unlocked session; `forgetOpenedRecords` drops them when the vault locks.
const opened = new WeakMap<OpenedDevice, Opened>();
const forgotten = new WeakSet<OpenedDevice>();
// A read under way, so two screens asking at once (the case list and its "Not sent" list) share it.
const reading = new WeakMap<
  OpenedDevice,
  { readonly revision: number; readonly all: Promise<readonly DeviceRecord[]> }
>();

/**
 * The device's records with their sync state (as `listDeviceRecords`), for the case list, the
 * tasks, the map and the "Not sent" list, which share one opened copy per unlocked session:
 * - nothing changed since the last read (same `revision`): the kept records, no store read;
 * - something may have changed: only the rows written since the last read are read from the store
 *   (the `rev` index, openDeviceRecords), and of those only records whose server version or pending
 *   edit changed are decrypted again (the others come back as the very same objects); records
 *   removed since (evictions, a lost scope) are noticed by count and dropped.
 */
export async function listOpenedRecords(device: OpenedDevice, projectId?: string): Promise<DeviceRecord[]> {
  const revision = device.revision?.() ?? null;
  const kept = opened.get(device);
  const under = reading.get(device);
  let all: readonly DeviceRecord[];
  if (kept !== undefined && revision !== null && kept.revision === revision) {
    all = kept.all;
  } else if (under !== undefined && revision !== null && under.revision === revision) {
    all = await under.all;
  } else {
    const read = readAndKeep(device, revision, kept);
    if (revision !== null) reading.set(device, { revision, all: read });
    all = await read;
  }
  return all.filter((record) => inProject(record, projectId));
}

async function readAndKeep(
  device: OpenedDevice,
  revision: number | null,
  kept: Opened | undefined,
): Promise<readonly DeviceRecord[]> {
  const read = await openDeviceRecords(device.store, device.codec, kept);
  // Locked while reading: what was opened is not kept.
  if (!forgotten.has(device)) opened.set(device, { ...read, revision });
  return read.all;
}

/** Drops the opened records of `device` (the vault locked, the user left): nothing decrypted stays. */
export function forgetOpenedRecords(device: OpenedDevice): void {
  forgotten.add(device);
  opened.delete(device);
  reading.delete(device);
}
