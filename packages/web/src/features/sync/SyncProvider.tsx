import { useNavigate } from '@solidjs/router';
import { createMemo, onCleanup, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { createDeviceSync, type DeviceSync } from './createDeviceSync.js';
import { SyncContext } from './SyncContext.js';

/** Opens the device store and starts syncing for the signed-in user; closes both when they leave. */
export function SyncProvider(props: { children: JSX.Element }): JSX.Element {
  const { api, session } = useApp();
  const navigate = useNavigate();
  const userId = createMemo(() => {
    const state = session.state();
    return state.kind === 'signed-in' ? state.user.id : undefined;
  });
  const device = createMemo<DeviceSync | undefined>(() => {
    const id = userId();
    if (id === undefined || typeof indexedDB === 'undefined') return undefined;
    const created = createDeviceSync({
      api,
      userId: id,
      onWiped: () => {
        session.expire();
        navigate('/login', { replace: true });
      },
    });
    onCleanup(() => void created.dispose());
    return created;
  });
  return <SyncContext.Provider value={device}>{props.children}</SyncContext.Provider>;
}
