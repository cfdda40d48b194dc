import { A, useNavigate, useParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, lazy, Show, Suspense, useContext, type JSX } from 'solid-js';
import { ShellContext, useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import { ApiProblem, type MergedInto } from '../../transport/ApiProblem.js';
import { supportsWebGl } from '../../maps/supportsWebGl.js';
import { mapText } from '../../maps/mapText.js';
import { projectBasemapUrl } from '../../maps/basemapSource.js';
import { listUnsentOf } from '../../store/outbox.js';
import { emptyVocabulary, loadProjectVocabulary } from '../forms/formVocabulary.js';
import { SyncContext, useSync } from '../../device/SyncContext.js';
import { CaseActions, categoryName } from './CaseActions.jsx';
import { caseLabelText } from './caseLabel.js';
import { localToday } from '../tasks/computeTasks.js';
import { deviceTasks } from '../tasks/deviceTasks.js';
import { TaskLine } from '../tasks/TaskLine.jsx';
import { geoPointOf, propertyLines } from './caseProperties.js';
import { caseTimeline } from './caseTimeline.js';
import { CaseTimeline } from './CaseTimeline.jsx';
import { MergedCases } from './MergedCases.jsx';
import { followUpPath, listFollowUpForms } from './followUpForms.js';
import { caseViewOf, loadCase, type CaseView } from './loadCase.js';
import type { CaseDetail } from '../../api/OutpostApi.js';
import { statusLabel } from './statusLabel.js';
import './casePage.css';

/** The case a merged case went into, when the server named one the reader may open. */
function mergedIntoOf(error: unknown): MergedInto | undefined {
  return error instanceof ApiProblem && error.code === 'entity.merged' ? error.mergedInto : undefined;
}

const GeoMap = lazy(() => import('../../maps/GeoMap.jsx').then((module) => ({ default: module.GeoMap })));

/**
 * One case: what the device holds of it (or the server, for an office browser without a device),
 * its follow-up tasks, the forms to record for it, the timeline of every visit and change, a
 * conflict banner, and its location on a small map at the precision the role was sent.
 */
export function CaseScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string; caseId: string }>();
  const shell = useContext(ShellContext);
  const sync = () => useSync();
  const project = () => shell?.projects()?.find((p) => p.id === params.projectId);

  const navigate = useNavigate();
  const syncContext = useContext(SyncContext);
  const [shown, { refetch: refetchShown }] = createResource(
    () => ({ projectId: params.projectId, caseId: params.caseId, device: sync(), revision: sync()?.revision() }),
    ({ projectId, caseId, device }) => loadCase(api, device, projectId, caseId),
  );
  const [vocabulary] = createResource(
    () => params.projectId,
    (projectId) => loadProjectVocabulary(api, projectId),
  );
  const [followUps] = createResource(
    () => params.projectId,
    (projectId) => listFollowUpForms(api, projectId),
  );
  const [categories] = createResource(
    () => params.projectId,
    (projectId) =>
      api
        .listFolders(projectId)
        .then((folders) => folders.categories)
        .catch(() => []),
  );
  const [history, { refetch: refetchHistory }] = createResource(
    () => ({ projectId: params.projectId, caseId: params.caseId, done: sync()?.status().lastSuccessAt }),
    ({ projectId, caseId }) => api.getCaseHistory(projectId, caseId).catch(() => null),
  );
  const [unsent] = createResource(
    () => ({ caseId: params.caseId, device: sync(), revision: sync()?.revision() }),
    ({ caseId, device }) => (device === undefined ? [] : listUnsentOf(device.store, caseId, { codec: device.codec })),
  );

  // What was loaded; a resource read while it failed would throw, so a refusal reads as nothing here.
  const loaded = () => (shown.error === undefined ? shown() : undefined);
  const words = () => vocabulary() ?? emptyVocabulary;
  // The server's answer to an edit, until the device has pulled that version (or a newer one).
  const [answered, setAnswered] = createSignal<CaseView | null>(null);
  const view = (): CaseView | undefined => {
    const held = loaded()?.view;
    const fresh = answered();
    return fresh !== null && held !== undefined && fresh.id === held.id && (fresh.version ?? 0) > (held.version ?? 0)
      ? fresh
      : held;
  };
  const lines = createMemo(() => {
    const v = view();
    return v === undefined ? [] : propertyLines(v.properties, v.list, words(), i18n.language());
  });
  const location = createMemo(() => {
    const v = view();
    return v === undefined
      ? undefined
      : Object.values(v.properties)
          .map(geoPointOf)
          .find((p) => p !== undefined);
  });
  const tasks = createMemo(() => {
    const record = loaded()?.record;
    if (record === undefined) return [];
    const groups = deviceTasks([record], words(), localToday());
    return [...groups.overdue, ...groups.soon, ...groups.later];
  });
  const timeline = createMemo(() => {
    const v = view();
    if (v === undefined) return [];
    return caseTimeline(v.list, unsent() ?? [], history() ?? [], words(), i18n.language());
  });
  const forms = () => (followUps() ?? []).filter((form) => form.dataset === view()?.list);
  const resolves = () => ['admin', 'supervisor'].includes(project()?.role ?? '');
  const projectPath = () => `/projects/${encodeURIComponent(params.projectId)}`;
  const tags = () => {
    const codes = view()?.categories ?? [];
    return (categories() ?? []).filter((c) => codes.includes(c.code));
  };
  // After a change on the server: the device pulls the new version, the page reads both again.
  const changed = (detail: CaseDetail | null): void => {
    if (detail === null) {
      // Deleted: the device drops it at this sync; the list shows the cases without it.
      void syncContext?.()
        ?.engine.syncNow()
        .catch(() => undefined);
      navigate(`${projectPath()}/cases`);
      return;
    }
    setAnswered(caseViewOf(detail));
    // The context was read at setup: an event handler runs outside the component.
    const device = syncContext?.();
    void (device === undefined ? Promise.resolve() : device.engine.syncNow().then(() => undefined))
      .catch(() => undefined)
      .then(() => {
        void refetchShown();
        void refetchHistory();
      });
  };

  return (
    <section class="case-page" aria-labelledby="case-title">
      <p class="case-page__back">
        <A href={`${projectPath()}/cases`}>{t('casePage.back')}</A>
      </p>
      <Show when={shown.error !== undefined}>
        <Show
          when={mergedIntoOf(shown.error)}
          fallback={
            <div class="alert" role="alert">
              <p>{t('casePage.notHere')}</p>
              <p class="alert__detail">{problemMessage(i18n, shown.error).message}</p>
            </div>
          }
        >
          {(survivor) => (
            <div class="alert case-page__merged" role="alert">
              <p>{t('casePage.merged', { name: caseLabelText(i18n, survivor().label) })}</p>
              <A class="button" href={`${projectPath()}/cases/${encodeURIComponent(survivor().id)}`}>
                {t('casePage.openMerged', { name: caseLabelText(i18n, survivor().label) })}
              </A>
            </div>
          )}
        </Show>
      </Show>
      <Show when={view()} fallback={<Show when={shown.loading}>{t('app.loading')}</Show>}>
        {(v) => (
          <>
            <div class="case-page__top">
              <h1 id="case-title">{caseLabelText(i18n, v().label)}</h1>
              <Show when={v().status}>
                {(status) => (
                  <span class="badge case-page__status" data-status={status()}>
                    {statusLabel(i18n, status(), { vocabulary: words(), list: v().list })}
                  </span>
                )}
              </Show>
              <Show when={v().areaName}>{(area) => <span class="case-page__area">{area()}</span>}</Show>
              <Show when={tags().length > 0}>
                <ul class="case-page__categories" aria-label={t('casePage.categories')}>
                  <For each={tags()}>
                    {(category) => (
                      <li class="badge" data-category={category.code}>
                        {categoryName(category, i18n.language())}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </div>

            <Show when={v().conflict !== null}>
              <div class="alert case-page__conflict" role="alert">
                <p>{t('casePage.conflict')}</p>
                <Show when={resolves()} fallback={<p class="alert__detail">{t('casePage.conflictWait')}</p>}>
                  <A class="button" href={`${projectPath()}/conflicts?case=${encodeURIComponent(v().id)}`}>
                    {t('casePage.conflictReview')}
                  </A>
                </Show>
              </div>
            </Show>

            <Show when={project()?.canSubmit !== false && forms().length > 0}>
              <nav class="case-page__actions" aria-label={t('casePage.record')}>
                <For each={forms()}>
                  {(form) => (
                    <A class="button" href={followUpPath(params.projectId, form, v().id)}>
                      {words().formTitle(form.formId) ?? form.title}
                    </A>
                  )}
                </For>
              </nav>
            </Show>

            <CaseActions
              projectId={params.projectId}
              view={v()}
              role={project()?.role}
              vocabulary={words()}
              categories={categories() ?? []}
              onChanged={changed}
            />

            <Show when={['admin', 'supervisor'].includes(project()?.role ?? '')}>
              <MergedCases
                projectId={params.projectId}
                caseId={v().id}
                onChanged={() => {
                  void refetchShown();
                  void refetchHistory();
                  void syncContext?.()
                    ?.engine.syncNow()
                    .catch(() => undefined);
                }}
              />
            </Show>

            <Show when={tasks().length > 0}>
              <section class="case-page__tasks" aria-labelledby="case-tasks-title">
                <h2 id="case-tasks-title">{t('tasks.title')}</h2>
                <ul class="task-list">
                  <For each={tasks()}>{(task) => <TaskLine task={task} />}</For>
                </ul>
              </section>
            </Show>

            <div class="case-page__body">
              <section aria-labelledby="case-properties-title">
                <h2 id="case-properties-title">{t('casePage.details')}</h2>
                <Show when={lines().length > 0} fallback={<p>{t('casePage.noDetails')}</p>}>
                  <dl class="case-properties">
                    <For each={lines()}>
                      {(line) => (
                        <div class="case-properties__row" data-property={line.property}>
                          <dt>{line.label}</dt>
                          <dd>{line.value}</dd>
                        </div>
                      )}
                    </For>
                  </dl>
                </Show>
              </section>
              <Show when={location()}>
                {(point) => (
                  <section class="case-page__map" aria-labelledby="case-map-title">
                    <h2 id="case-map-title">{t('casePage.location')}</h2>
                    <Show
                      when={supportsWebGl()}
                      fallback={
                        <p>
                          {point().latitude}, {point().longitude}
                        </p>
                      }
                    >
                      <Suspense fallback={<p>{t('app.loading')}</p>}>
                        <GeoMap
                          kind="geopoint"
                          points={[{ latitude: point().latitude, longitude: point().longitude }]}
                          readonly
                          text={(key, values) => mapText(i18n.language())(key, values)}
                          language={i18n.language()}
                          basemapUrl={projectBasemapUrl(params.projectId)}
                        />
                      </Suspense>
                    </Show>
                  </section>
                )}
              </Show>
            </div>

            <CaseTimeline items={timeline()} offline={history() === null} />
          </>
        )}
      </Show>
    </section>
  );
}
