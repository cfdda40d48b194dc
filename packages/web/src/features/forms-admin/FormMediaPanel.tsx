import { Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { DataTable } from '../../app/DataTable.jsx';

/** Where one media file stands: stored with the version, attached now, missing, or not the form's. */
export type MediaFileState = 'stored' | 'attached' | 'missing' | 'unexpected';

/**
 * Each file the form names with its state, then each chosen file the form does not name (those are
 * not sent). Names are compared as the server compares them (Unicode NFC).
 */
export function mediaRows(
  expected: readonly string[],
  stored: readonly string[],
  chosen: readonly File[],
): Array<{ name: string; state: MediaFileState }> {
  const chosenNames = new Set(chosen.map((f) => f.name.normalize('NFC')));
  const storedNames = new Set(stored);
  const named = new Set(expected);
  const rows: Array<{ name: string; state: MediaFileState }> = expected.map((name) => ({
    name,
    state: storedNames.has(name) ? 'stored' : chosenNames.has(name) ? 'attached' : 'missing',
  }));
  for (const name of chosenNames) if (!named.has(name)) rows.push({ name, state: 'unexpected' });
  return rows;
}

/** The chosen files worth sending: named by the form and not stored with the version yet. */
export function mediaToSend(expected: readonly string[], stored: readonly string[], chosen: readonly File[]): File[] {
  const wanted = new Set(expected.filter((name) => !stored.includes(name)));
  return chosen.filter((f) => wanted.has(f.name.normalize('NFC')));
}

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
