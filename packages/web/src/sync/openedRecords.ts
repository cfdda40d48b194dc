import type { LocalStore } from '../store/LocalStore.js';
import type { ValueCodec } from '../store/ValueCodec.js';
import { inProject, listDeviceRecords, type DeviceRecord } from './listDeviceRecords.js';

/** An unlocked device: its store and the codec that opens its sealed values. */
export interface OpenedDevice {
  readonly store: LocalStore;
  readonly codec: ValueCodec;
}

// The opened (decrypted) records of each unlocked device, by id. Keyed by the device object, which
// lives as long as one unlocked session; `forgetOpenedRecords` drops them when the vault locks.
const opened = new WeakMap<OpenedDevice, ReadonlyMap<string, DeviceRecord>>();
const forgotten = new WeakSet<OpenedDevice>();

/**
 * The device's records with their sync state (as `listDeviceRecords`), decrypting only the records
 * whose server version or pending edit changed since the last read of this unlocked session: the
 * case list, the tasks, the map and the "Not sent" list share one opened copy, so a screen opened
 * again (or after a sync that changed a few records) costs a store read, not 10,000 decryptions.
 * Unchanged records come back as the very same objects.
 */
export async function listOpenedRecords(device: OpenedDevice, projectId?: string): Promise<DeviceRecord[]> {
  const previous = opened.get(device);
  const all = await listDeviceRecords(device.store, {
    codec: device.codec,
    ...(previous === undefined ? {} : { previous }),
  });
  // Locked while reading: what was opened is not kept.
  if (!forgotten.has(device)) opened.set(device, new Map(all.map((record) => [record.id, record])));
  return projectId === undefined ? all : all.filter((record) => inProject(record, projectId));
}

/** Drops the opened records of `device` (the vault locked, the user left): nothing decrypted stays. */
export function forgetOpenedRecords(device: OpenedDevice): void {
  forgotten.add(device);
  opened.delete(device);
}
