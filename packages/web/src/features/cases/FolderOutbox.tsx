import { createEffect, on, useContext, type JSX } from 'solid-js';
import { ShellContext, useApp } from '../../app/AppContext.js';
import { SyncContext } from '../../device/SyncContext.js';
import { sendPendingFolderChanges } from './folderBook.js';

/**
 * Sends folder changes made offline after every successful sync, whatever screen is open (the
 * case list sends its own project's at once; this covers a user who reconnects elsewhere).
 * Renders nothing.
 */
export function FolderOutbox(): JSX.Element {
  const { api } = useApp();
  const shell = useContext(ShellContext);
  const device = useContext(SyncContext);
  createEffect(
    on(
      () => device?.()?.status().lastSuccessAt,
      (lastSuccessAt) => {
        const current = device?.();
        if (current === undefined || lastSuccessAt === null || lastSuccessAt === undefined) return;
        for (const project of shell?.projects() ?? []) {
          void sendPendingFolderChanges(current.store, current.codec, api, project.id).catch(() => undefined);
        }
      },
    ),
  );
  return null;
}
