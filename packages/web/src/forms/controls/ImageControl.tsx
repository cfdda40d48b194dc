import type { UploadNode } from '@getodk/xforms-engine';
import { createEffect, createSignal, onCleanup, Show, type JSX } from 'solid-js';
import { photoForQuestion } from '../downscaleImage.js';
import { useFormUi } from '../FormUi.js';
import type { ControlProps } from '../QuestionView.jsx';

/**
 * A photo from the tablet's camera (`capture`), kept as the original file unless the question asks
 * for a smaller one (`orx:max-pixels`).
 */
export function ImageControl(props: ControlProps<UploadNode>): JSX.Element {
  const { i18n } = useFormUi();
  const { t } = i18n;
  const node = props.node;
  const [failed, setFailed] = createSignal(false);
  const [preview, setPreview] = createSignal<string>();
  createEffect(() => {
    const file = node.currentState.value;
    const url = file ? URL.createObjectURL(file) : undefined;
    setPreview(url);
    onCleanup(() => {
      if (url !== undefined) URL.revokeObjectURL(url);
    });
  });
  const take = async (file: File): Promise<void> => {
    try {
      setFailed(false);
      node.setValue(await photoForQuestion(file, node.maxPixels));
    } catch {
      setFailed(true);
    }
    props.onTouched();
  };
  return (
    <div class="image">
      <Show when={preview()}>{(url) => <img class="image__preview" src={url()} alt={t('form.image.preview')} />}</Show>
      <label class="button button--primary image__take">
        {node.currentState.value ? t('form.image.replace') : t('form.image.take')}
        <input
          id={props.id}
          class="visually-hidden"
          type="file"
          accept="image/*"
          capture="environment"
          disabled={node.currentState.readonly}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void take(file);
          }}
        />
      </label>
      <Show when={node.currentState.value && !node.currentState.readonly}>
        <button
          type="button"
          class="button button--subtle"
          onClick={() => {
            node.setValue(null);
            props.onTouched();
          }}
        >
          {t('form.image.remove')}
        </button>
      </Show>
      <Show when={failed()}>
        <p class="question__problem">{t('form.image.failed')}</p>
      </Show>
    </div>
  );
}
