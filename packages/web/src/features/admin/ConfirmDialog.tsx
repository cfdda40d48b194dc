import { createEffect, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';

/** A modal question before an action that cannot simply be undone (revoke, reset). */
export function ConfirmDialog(props: {
  open: boolean;
  message: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}): JSX.Element {
  const { i18n } = useApp();
  let dialog: HTMLDialogElement | undefined;
  createEffect(() => {
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    else if (!props.open && dialog.open) dialog.close();
  });
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      onCancel={(event) => {
        // Escape: let the owner close it, so its state stays the one truth.
        event.preventDefault();
        props.onCancel();
      }}
    >
      <p class="confirm-dialog__message">{props.message}</p>
      <div class="confirm-dialog__actions">
        <button type="button" class="button" onClick={() => props.onCancel()}>
          {i18n.t('admin.cancel')}
        </button>
        <button
          type="button"
          class="button button--danger"
          disabled={props.busy === true}
          onClick={() => props.onConfirm()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
