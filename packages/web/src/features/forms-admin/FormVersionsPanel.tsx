import { onMount, type JSX } from 'solid-js';
import type { FormVersionInfo, ProjectForm, UserAccount } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { AdminTable } from '../admin/AdminTable.jsx';
import { createLoadable } from '../admin/createLoadable.js';

/** Every version of one form, newest first, with its workbook and XForm to download. */
export function FormVersionsPanel(props: { projectId: string; form: ProjectForm; onClose: () => void }): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  // Read once: the panel is made again for another form or project.
  const { projectId, form } = props;
  const versions = createLoadable(() => api.listFormVersions(projectId, form.formId));
  const users = createLoadable(() => api.listUsers().catch((): readonly UserAccount[] => []));
  const publisher = (version: FormVersionInfo): string => {
    if (version.publishedBy === null) return t('audit.system');
    const user = users.value()?.find((u) => u.id === version.publishedBy);
    return user?.displayName ?? version.publishedBy;
  };
  const fileName = (version: string, ext: string) => `${form.formId}-${version}.${ext}`;
  let panel: HTMLElement | undefined;
  // Opened from a row of the list above: bring it into view.
  onMount(() => panel?.scrollIntoView({ block: 'nearest' }));
  return (
    <section ref={panel} class="card form-versions" aria-labelledby="form-versions-title" data-form-id={form.formId}>
      <div class="admin-section__top">
        <h3 id="form-versions-title" class="admin-section__title">
          {t('formsAdmin.versions.title', { title: form.title })}
        </h3>
        <button type="button" class="button button--quiet" onClick={() => props.onClose()}>
          {t('formsAdmin.close')}
        </button>
      </div>
      <AdminTable
        list={versions}
        empty={t('formsAdmin.empty')}
        columns={[
          t('formsAdmin.column.version'),
          t('formsAdmin.column.publishedAt'),
          t('formsAdmin.column.publishedBy'),
          t('formsAdmin.column.validator'),
          t('formsAdmin.column.files'),
        ]}
      >
        {(version) => (
          <tr data-version={version.version}>
            <th scope="row">{version.version}</th>
            <td data-label={t('formsAdmin.column.publishedAt')}>
              <time datetime={version.publishedAt}>{i18n.formatDateTime(version.publishedAt)}</time>
            </td>
            <td data-label={t('formsAdmin.column.publishedBy')}>{publisher(version)}</td>
            <td data-label={t('formsAdmin.column.validator')} data-validator={version.validator?.kind ?? 'engine'}>
              {version.validator?.kind === 'compiled'
                ? t('formsAdmin.validator.compiled')
                : t('formsAdmin.validator.engine')}
            </td>
            <td>
              <div class="admin-table__actions">
                <a
                  class="button"
                  href={api.formFileUrl(projectId, form.formId, version.version, 'xlsx')}
                  download={fileName(version.version, 'xlsx')}
                >
                  {t('formsAdmin.download.xlsx')}
                </a>
                <a
                  class="button"
                  href={api.formFileUrl(projectId, form.formId, version.version, 'xml')}
                  download={fileName(version.version, 'xml')}
                >
                  {t('formsAdmin.download.xml')}
                </a>
              </div>
            </td>
          </tr>
        )}
      </AdminTable>
    </section>
  );
}
