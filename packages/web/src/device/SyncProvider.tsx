import { useNavigate } from '@solidjs/router';
import { createMemo, onCleanup, untrack, type JSX } from 'solid-js';
import { useApp } from '../app/AppContext.js';
import { prefetchForms } from '../api/createOfflineApi.js';
import { forgetOpenedRecords } from '../sync/openedRecords.js';
import { createDeviceSync, type DeviceSync } from './createDeviceSync.js';
import { SyncContext } from './SyncContext.js';

/**
 * Starts syncing the unlocked device of the signed-in user, and keeps the forms they may fill on
 * the device; stops when they lock, leave or are erased.
 */
export function SyncProvider(props: { children: JSX.Element }): JSX.Element {
  const { api, session, transport } = useApp();
  const navigate = useNavigate();
  const unlocked = createMemo(
    () => {
      const state = session.state();
      return state.kind === 'signed-in' ? { userId: state.user.id, device: state.device } : undefined;
    },
    undefined,
    { equals: (a, b) => a?.userId === b?.userId && a?.device === b?.device },
  );
  const device = createMemo<DeviceSync | undefined>(() => {
    const current = unlocked();
    if (current === undefined || typeof indexedDB === 'undefined') return undefined;
    const opened = current.device;
    // Untracked: the engine starts syncing at once and its status signals must not re-run this memo.
    const created = untrack(() =>
      createDeviceSync({
        transport,
        userId: current.userId,
        ...(opened === undefined
          ? {}
          : {
              store: opened.store,
              codec: opened.codec,
              drafts: opened.drafts,
              deviceId: opened.deviceId,
              deviceToken: opened.deviceToken,
              wipe: () => session.erase('wiped'),
            }),
        onWiped: () => {
          if (opened === undefined) session.expire();
          navigate('/login', { replace: true });
        },
      }),
    );
    if (opened !== undefined) {
      // Forms and their lists kept on the device, so they open offline later; again when back online.
      const keep = (): void => void prefetchForms(api).catch(() => undefined);
      keep();
      globalThis.addEventListener?.('online', keep);
      onCleanup(() => globalThis.removeEventListener?.('online', keep));
    }
    onCleanup(() => {
      // Locked, signed out or another user: the decrypted copies go with the session.
      forgetOpenedRecords(created);
      void created.dispose();
    });
    return created;
  });
  return <SyncContext.Provider value={device}>{props.children}</SyncContext.Provider>;
}
