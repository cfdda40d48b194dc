import { Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { DataTable } from '../../app/DataTable.jsx';
import { mediaRows, type MediaFileState } from './mediaFiles.js';

/** The media files a checked form names, which are stored, attached or missing, and the file picker. */
export function FormMediaPanel(props: {
  expected: readonly string[];
  stored: readonly string[];
  chosen: readonly File[];
  disabled: boolean;
  onChoose: (files: File[]) => void;
}): JSX.Element {
  const { t } = useApp().i18n;
  const columns = [t('formsAdmin.media.column.file'), t('formsAdmin.media.column.status')];
  const rows = () => mediaRows(props.expected, props.stored, props.chosen);
  const stateText = (state: MediaFileState): string => t(`formsAdmin.media.${state}`);
  return (
    <section class="form-media" aria-labelledby="form-media-title">
      <h4 id="form-media-title">{t('formsAdmin.media.title')}</h4>
      <p class="forms-admin__intro">{t('formsAdmin.media.intro')}</p>
      <DataTable class="admin-table form-media__files" columns={columns} items={rows()}>
        {(row) => (
          <tr data-media-file={row.name} data-state={row.state}>
            <td data-label={columns[0]}>
              <span class="form-media__name">{row.name}</span>
            </td>
            <td data-label={columns[1]}>{stateText(row.state)}</td>
          </tr>
        )}
      </DataTable>
      <Show when={rows().some((row) => row.state !== 'stored')}>
        <label class="button forms-admin__choose">
          {t('formsAdmin.media.choose')}
          <input
            class="visually-hidden"
            name="media"
            type="file"
            multiple
            disabled={props.disabled}
            onChange={(event) => props.onChoose([...(event.currentTarget.files ?? [])])}
          />
        </label>
      </Show>
    </section>
  );
}
