import { createContext, useContext, type Accessor } from 'solid-js';
import type { DeviceSync } from './createDeviceSync.js';

/** The signed-in user's device data and sync, or undefined while nobody is signed in. */
export const SyncContext = createContext<Accessor<DeviceSync | undefined>>();

/** Undefined outside a SyncProvider (screen tests) and while nobody is signed in. */
export function useSync(): DeviceSync | undefined {
  return useContext(SyncContext)?.();
}
