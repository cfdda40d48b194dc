import { createEffect, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';
import { ProjectSelect } from '../../app/ProjectSelect.jsx';
import { ApiProblem } from '../../transport/ApiProblem.js';
import type { RegisterImport, RegisterProblem } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { DataTable } from '../../app/DataTable.jsx';
import { createLoadable } from '../admin/createLoadable.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';
import { emptyVocabulary, loadProjectVocabulary } from '../forms/formVocabulary.js';
import { listName } from '../forms/listName.js';
import { importIntroWords, registerProblemRow, registerProblemText } from './registerProblemText.js';

/** Where the import stands: nothing chosen, checking, refused with its problems, checked, imported. */
type Step =
  | { kind: 'none' }
  | { kind: 'busy'; importing: boolean }
  | { kind: 'refused'; problems: readonly RegisterProblem[] }
  | { kind: 'checked'; file: File; outcome: RegisterImport }
  | { kind: 'imported'; outcome: RegisterImport };

/**
 * `/admin/import`: an office's existing register (CSV or .xlsx) into a project's list. Choosing the
 * file checks it on the server (a dry run): every problem with its row and column, or what would
 * change; "Import" then sends it again, imported whole or not at all.
 */
export function ImportScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const projects = createLoadable(() => api.listProjects());
  const [projectId, setProjectId] = createSignal<string | undefined>(undefined);
  const [list, setList] = createSignal<string | undefined>(undefined);
  const [step, setStep] = createSignal<Step>({ kind: 'none' });
  const [failure, setFailure] = createSignal<unknown>(undefined);
  let fileInput: HTMLInputElement | undefined;

  const [vocabulary] = createResource(projectId, (id) => loadProjectVocabulary(api, id));
  const lists = () => vocabulary()?.lists();
  createEffect(() => {
    const first = projects.value()?.[0];
    if (projectId() === undefined && first !== undefined) setProjectId(first.id);
  });
  createEffect(() => setList(lists()?.[0]));
  createEffect(
    on([projectId, list], () => {
      setStep({ kind: 'none' });
      setFailure(undefined);
      if (fileInput) fileInput.value = '';
    }),
  );

  const send = async (file: File | undefined, dryRun: boolean): Promise<void> => {
    const id = projectId();
    const into = list();
    setFailure(undefined);
    if (file === undefined || id === undefined || into === undefined) {
      setStep({ kind: 'none' });
      return;
    }
    setStep({ kind: 'busy', importing: !dryRun });
    try {
      const outcome = await api.importCases(id, into, file, dryRun);
      setStep(dryRun ? { kind: 'checked', file, outcome } : { kind: 'imported', outcome });
      if (!dryRun && fileInput) fileInput.value = '';
    } catch (error) {
      if (error instanceof ApiProblem && error.code === 'import.invalid') {
        setStep({ kind: 'refused', problems: error.problems });
      } else {
        setStep({ kind: 'none' });
        setFailure(() => error);
      }
    }
  };

  return (
    <div class="admin-section register-import">
      <h2 class="admin-section__title">{t('import.title')}</h2>
      <p>{t('import.intro', importIntroWords)}</p>
      <Show when={projects.error()}>
        {(error) => <ProblemAlert error={error()} lead={t('admin.loadError')} onRetry={() => void projects.reload()} />}
      </Show>
      <div class="card admin-add">
        <div class="admin-add__form">
          <ProjectSelect
            label={t('import.project')}
            projects={projects.value()}
            selected={projectId()}
            onSelect={setProjectId}
          />
          <label class="field">
            <span class="field__label">{t('import.list')}</span>
            <select class="admin-select" name="list" onChange={(e) => setList(e.currentTarget.value)}>
              <For each={lists() ?? []}>
                {(name) => (
                  <option value={name} selected={name === list()}>
                    {listName(name, vocabulary() ?? emptyVocabulary, i18n)}
                  </option>
                )}
              </For>
            </select>
          </label>
          <label class="field">
            <span class="field__label">{t('import.file')}</span>
            <input
              ref={fileInput}
              name="register"
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              disabled={step().kind === 'busy' || list() === undefined}
              onChange={(e) => void send(e.currentTarget.files?.[0], true)}
            />
          </label>
        </div>
      </div>

      <Show when={step().kind === 'busy'}>
        <p class="status-message" role="status">
          {isImporting(step()) ? t('import.importing') : t('import.checking')}
        </p>
      </Show>
      <Show when={failure()}>{(error) => <ProblemAlert error={error()} />}</Show>
      <Show when={refusedProblems(step())}>
        {(problems) => (
          <section class="card register-import__problems" aria-labelledby="import-refused">
            <div class="alert" role="alert">
              <p id="import-refused">{t('import.refused', { count: problems().length })}</p>
            </div>
            <DataTable
              class="admin-table"
              columns={[t('import.column.row'), t('import.column.column'), t('import.column.problem')]}
              items={problems()}
            >
              {(problem) => (
                <tr data-code={problem.code}>
                  <td data-label={t('import.column.row')}>{registerProblemRow(i18n, problem)}</td>
                  <td data-label={t('import.column.column')}>{problem.column ?? ''}</td>
                  <td data-label={t('import.column.problem')}>{registerProblemText(i18n, problem)}</td>
                </tr>
              )}
            </DataTable>
          </section>
        )}
      </Show>
      <Show when={checkedFile(step())}>
        {(checked) => (
          <div class="card">
            <p role="status">{t('import.checked', checked().outcome)}</p>
            <button type="button" class="button button--primary" onClick={() => void send(checked().file, false)}>
              {t('import.run')}
            </button>
          </div>
        )}
      </Show>
      <Show when={importedOutcome(step())}>
        {(outcome) => (
          <p class="notice" role="status">
            {t('import.done', outcome())}
          </p>
        )}
      </Show>
    </div>
  );
}

function isImporting(step: Step): boolean {
  return step.kind === 'busy' && step.importing;
}

function refusedProblems(step: Step): readonly RegisterProblem[] | undefined {
  return step.kind === 'refused' ? step.problems : undefined;
}

function checkedFile(step: Step): { file: File; outcome: RegisterImport } | undefined {
  return step.kind === 'checked' ? step : undefined;
}

function importedOutcome(step: Step): RegisterImport | undefined {
  return step.kind === 'imported' ? step.outcome : undefined;
}
