import { Show, createEffect, createSignal, on, type JSX } from 'solid-js';
import { ProjectSelect } from '../../app/ProjectSelect.jsx';
import { ApiProblem } from '../../transport/ApiProblem.js';
import type { FormCheck, FormIssue, ProjectForm } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { AdminTable } from '../admin/AdminTable.jsx';
import { createLoadable } from '../admin/createLoadable.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';
import { FormCheckPanel, FormIssueTable } from './FormCheckPanel.jsx';
import { FormMediaPanel } from './FormMediaPanel.jsx';
import { mediaToSend } from './mediaFiles.js';
import { FormVersionsPanel } from './FormVersionsPanel.jsx';
import './formsAdmin.css';

/** Where the upload stands: nothing chosen, being checked, refused with its issues, or checked. */
type Upload =
  | { kind: 'none' }
  | { kind: 'checking' }
  | { kind: 'invalid'; errors: readonly FormIssue[] }
  | { kind: 'checked'; file: File; check: FormCheck };

/**
 * `/admin/forms`: pick a project, choose an XLSForm and see its errors (sheet, row, column) or its
 * differences from the published version before anything is stored; publish; list each form's
 * versions and download their workbook and XForm.
 */
export function FormsAdminScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const projects = createLoadable(() => api.listProjects());
  const [projectId, setProjectId] = createSignal<string | undefined>(undefined);
  const forms = createLoadable(async (): Promise<readonly ProjectForm[]> => {
    const id = projectId();
    return id === undefined ? [] : api.listProjectForms(id);
  });
  const [upload, setUpload] = createSignal<Upload>({ kind: 'none' });
  const [failure, setFailure] = createSignal<unknown>(undefined);
  const [publishing, setPublishing] = createSignal(false);
  const [notice, setNotice] = createSignal<string | undefined>(undefined);
  const [shown, setShown] = createSignal<ProjectForm | undefined>(undefined);
  const [fileName, setFileName] = createSignal<string | undefined>(undefined);
  // Media files chosen for the checked workbook; only those the form names are sent.
  const [media, setMedia] = createSignal<readonly File[]>([]);
  const toSend = (check: FormCheck): File[] => mediaToSend(check.media.expected, check.media.stored, media());
  let fileInput: HTMLInputElement | undefined;

  createEffect(() => {
    const first = projects.value()?.[0];
    if (projectId() === undefined && first !== undefined) setProjectId(first.id);
  });
  createEffect(
    on(projectId, () => {
      setUpload({ kind: 'none' });
      setFailure(undefined);
      setNotice(undefined);
      setShown(undefined);
      clearFile();
      void forms.reload();
    }),
  );

  const clearFile = (): void => {
    if (fileInput) fileInput.value = '';
    setFileName(undefined);
  };

  const check = async (file: File | undefined): Promise<void> => {
    const id = projectId();
    setFileName(file?.name);
    setNotice(undefined);
    setFailure(undefined);
    setMedia([]);
    if (file === undefined || id === undefined) {
      setUpload({ kind: 'none' });
      return;
    }
    setUpload({ kind: 'checking' });
    try {
      setUpload({ kind: 'checked', file, check: await api.checkForm(id, file, file.name) });
    } catch (error) {
      if (error instanceof ApiProblem && error.code === 'form.invalid' && error.errors.length > 0) {
        setUpload({ kind: 'invalid', errors: error.errors });
      } else {
        setUpload({ kind: 'none' });
        setFailure(() => error);
      }
    }
  };

  const publish = async (): Promise<void> => {
    const id = projectId();
    const current = upload();
    if (id === undefined || current.kind !== 'checked') return;
    setPublishing(true);
    setFailure(undefined);
    try {
      const done = await api.publishForm(id, current.file, current.file.name, toSend(current.check));
      setUpload({ kind: 'none' });
      clearFile();
      setMedia([]);
      const published = t('formsAdmin.published', { title: done.title, version: done.version });
      setNotice(
        [
          done.created || done.media.stored.length === 0 ? published : '',
          done.media.stored.length > 0
            ? t('formsAdmin.media.added', { version: done.version, names: done.media.stored.join(', ') })
            : '',
          done.media.missing.length > 0
            ? t('formsAdmin.media.stillMissing', { names: done.media.missing.join(', ') })
            : '',
        ]
          .filter((text) => text !== '')
          .join(' '),
      );
      setShown(undefined);
      await forms.reload();
    } catch (error) {
      setFailure(() => error);
    } finally {
      setPublishing(false);
    }
  };

  return (
    <div class="admin-section forms-admin">
      <h2 class="visually-hidden">{t('admin.tab.forms')}</h2>
      <Show when={projects.error()}>
        {(error) => <ProblemAlert error={error()} lead={t('admin.loadError')} onRetry={() => void projects.reload()} />}
      </Show>
      <Show when={projects.value()?.length === 0}>
        <p class="empty">{t('formsAdmin.noProjects')}</p>
      </Show>
      <Show when={(projects.value()?.length ?? 0) > 0}>
        <section class="card admin-add" aria-labelledby="forms-upload-title">
          <h3 id="forms-upload-title" class="admin-add__title">
            {t('formsAdmin.upload.title')}
          </h3>
          <p class="forms-admin__intro">{t('formsAdmin.upload.intro')}</p>
          <div class="admin-add__form">
            <ProjectSelect
              label={t('formsAdmin.project')}
              projects={projects.value()}
              selected={projectId()}
              onSelect={setProjectId}
            />
            <div class="field">
              <span class="field__label" id="forms-admin-file-label">
                {t('formsAdmin.upload.file')}
              </span>
              {/* The browser's own file button speaks the browser's language: ours speaks the app's. */}
              <div class="forms-admin__file">
                <label class="button forms-admin__choose">
                  {t('formsAdmin.upload.choose')}
                  <input
                    ref={fileInput}
                    class="visually-hidden"
                    name="xlsform"
                    type="file"
                    aria-labelledby="forms-admin-file-label"
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    disabled={upload().kind === 'checking' || publishing()}
                    onChange={(event) => void check(event.currentTarget.files?.[0])}
                  />
                </label>
                <span class="forms-admin__file-name">{fileName() ?? t('formsAdmin.upload.noFile')}</span>
              </div>
            </div>
          </div>
        </section>
      </Show>

      <Show when={upload().kind === 'checking'}>
        <p class="status-message" role="status">
          {t('formsAdmin.checking')}
        </p>
      </Show>
      <Show when={notice()}>
        {(text) => (
          <p class="notice" role="status">
            {text()}
          </p>
        )}
      </Show>
      <Show when={failure()}>{(error) => <ProblemAlert error={error()} />}</Show>
      <Show when={invalidErrors(upload())}>
        {(errors) => (
          <section class="card form-check" aria-labelledby="form-invalid-title">
            <div class="alert" role="alert">
              <p id="form-invalid-title">{t('formsAdmin.invalid')}</p>
            </div>
            <FormIssueTable issues={errors()} kind="error" />
          </section>
        )}
      </Show>
      <Show when={checked(upload())}>
        {(result) => (
          <FormCheckPanel
            check={result()}
            publishing={publishing()}
            onPublish={() => void publish()}
            canAddMedia={toSend(result()).length > 0}
          >
            <Show when={result().media.expected.length > 0}>
              <FormMediaPanel
                expected={result().media.expected}
                stored={result().media.stored}
                chosen={media()}
                disabled={publishing()}
                onChoose={setMedia}
              />
            </Show>
          </FormCheckPanel>
        )}
      </Show>

      <Show when={projectId()}>
        <h3 class="admin-section__title">{t('formsAdmin.list.title')}</h3>
        <AdminTable
          list={forms}
          empty={t('formsAdmin.empty')}
          columns={[
            t('formsAdmin.column.form'),
            t('formsAdmin.column.latest'),
            t('formsAdmin.column.versions'),
            t('formsAdmin.column.actions'),
          ]}
        >
          {(form) => (
            <tr data-form-id={form.formId}>
              <th scope="row">
                <span class="admin-table__name">{form.title}</span>
                <span class="admin-table__sub">{form.formId}</span>
              </th>
              <td data-label={t('formsAdmin.column.latest')}>
                {form.latestVersion}
                <Show when={form.latestPublishedAt}>
                  {(at) => (
                    <time class="admin-table__sub" datetime={at()}>
                      {i18n.formatDateTime(at())}
                    </time>
                  )}
                </Show>
              </td>
              <td data-label={t('formsAdmin.column.versions')}>{form.versions}</td>
              <td>
                <button type="button" class="button" onClick={() => setShown(form)}>
                  {t('formsAdmin.showVersions')}
                </button>
              </td>
            </tr>
          )}
        </AdminTable>
      </Show>
      <Show when={projectId() !== undefined && shown()} keyed>
        {(form) => <FormVersionsPanel projectId={projectId() ?? ''} form={form} onClose={() => setShown(undefined)} />}
      </Show>
    </div>
  );
}

function invalidErrors(upload: Upload): readonly FormIssue[] | undefined {
  return upload.kind === 'invalid' ? upload.errors : undefined;
}

function checked(upload: Upload): FormCheck | undefined {
  return upload.kind === 'checked' ? upload.check : undefined;
}
