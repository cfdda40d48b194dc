import { useNavigate } from '@solidjs/router';
import { createEffect, createSignal, on, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import type { UnsentOnDevice } from '../../session/createSession.js';
import { downloadText } from '../sync/downloadText.js';
import './auth.css';

/**
 * Logout erases the device (S8). When something on it has not reached the server, the dialog says
 * how much, offers the rescue file, and erases only after an explicit confirmation; with nothing
 * unsent it logs out at once.
 */
export function LogoutDialog(props: { open: boolean; onClose: () => void }): JSX.Element {
  const { i18n, session } = useApp();
  const { t } = i18n;
  const navigate = useNavigate();
  const [unsent, setUnsent] = createSignal<UnsentOnDevice | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  let dialog: HTMLDialogElement | undefined;

  const leave = async (): Promise<void> => {
    setBusy(true);
    try {
      await session.logout();
      setUnsent(null);
      props.onClose();
      navigate('/login', { replace: true });
    } finally {
      setBusy(false);
    }
  };

  createEffect(
    on(
      () => props.open,
      (open) => {
        if (!open) {
          if (dialog?.open === true) dialog.close();
          return;
        }
        setProblem(null);
        void session.unsentOnDevice().then(
          (found) => {
            if (found.outbox === 0 && found.drafts === 0) void leave();
            else {
              setUnsent(found);
              if (dialog !== undefined && !dialog.open) dialog.showModal();
            }
          },
          // Cannot count: ask, as if something were there.
          () => {
            setUnsent({ outbox: 0, drafts: 0 });
            if (dialog !== undefined && !dialog.open) dialog.showModal();
          },
        );
      },
    ),
  );

  const exportUnsent = async (): Promise<void> => {
    try {
      const text = await session.exportUnsent();
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      downloadText(`outpost-unsent-${stamp}.json`, text);
    } catch (error) {
      setProblem(problemMessage(i18n, error).message);
    }
  };

  const unlocked = (): boolean => session.state().kind === 'signed-in' || session.state().kind === 'enrolment-required';

  return (
    <dialog
      ref={dialog}
      class="logout-dialog"
      aria-labelledby="logout-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="logout-title">{t('logout.title')}</h2>
      <Show when={unsent()}>
        {(found) => (
          <>
            <Show when={found().outbox > 0}>
              <p class="logout-dialog__count" data-testid="logout-unsent">
                {t('logout.unsent', { count: found().outbox })}
              </p>
            </Show>
            <Show when={found().drafts > 0}>
              <p class="logout-dialog__count">{t('logout.drafts', { count: found().drafts })}</p>
            </Show>
          </>
        )}
      </Show>
      <p>{t('logout.warning')}</p>
      <Show when={problem()}>
        {(text) => (
          <p class="alert" role="alert">
            {text()}
          </p>
        )}
      </Show>
      <div class="logout-dialog__actions">
        <Show when={unlocked()} fallback={<p class="logout-dialog__hint">{t('logout.lockedExport')}</p>}>
          <button type="button" class="button" onClick={() => void exportUnsent()}>
            {t('logout.export')}
          </button>
        </Show>
        <button type="button" class="button" onClick={() => props.onClose()}>
          {t('logout.cancel')}
        </button>
        <button type="button" class="button button--danger" disabled={busy()} onClick={() => void leave()}>
          {busy() ? t('logout.busy') : t('logout.confirm')}
        </button>
      </div>
    </dialog>
  );
}
