import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, lazy, onCleanup, Show, Suspense, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import type { MessageKey } from '../../i18n/en.js';
import { projectBasemapUrl } from '../../maps/basemapSource.js';
import { mapText } from '../../maps/mapText.js';
import { supportsWebGl } from '../../maps/supportsWebGl.js';
import { createDeviceCaseList } from '../cases/createDeviceCaseList.js';
import { casePath } from '../cases/followUpForms.js';
import { loadProjectVocabulary } from '../forms/formVocabulary.js';
import { useSync } from '../../device/SyncContext.js';
import { mapPointKinds, mapPoints, type MapPointKind } from './mapPoints.js';
import './projectMap.css';

const ClusterMap = lazy(() => import('../../maps/ClusterMap.jsx').then((m) => ({ default: m.ClusterMap })));

const searchDelayMs = 150;
/** Without WebGL the found cases are listed instead; the first this many (the search narrows them). */
const fallbackRows = 200;

const kindKey = {
  case: 'map.kind.case',
  incident: 'map.kind.incident',
  observation: 'map.kind.observation',
  other: 'map.kind.other',
} as const satisfies Readonly<Record<MapPointKind, MessageKey>>;

/** The colours of the kinds (legend and points alike); distinct also for red-green colour blindness. */
const colours: Readonly<Record<MapPointKind, string>> = {
  case: '#1f5f8b',
  incident: '#c0392b',
  observation: '#e0a100',
  other: '#6b6b6b',
};

/**
 * The project's cases, incidents and observations on the offline basemap, from the device's own
 * store: grouped where they crowd, each at the precision the role was sent, searched and filtered
 * with the case list's query language (the query travels between the two screens in `?q=`). A tap
 * on a point opens the case.
 */
export function ProjectMapScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  const [search, setSearch] = useSearchParams<{ q?: string }>();
  const navigate = useNavigate();
  const [vocabulary] = createResource(
    () => params.projectId,
    (projectId) => loadProjectVocabulary(api, projectId),
  );
  const list = createDeviceCaseList({
    device: () => useSync(),
    projectId: () => params.projectId,
    vocabulary: () => vocabulary(),
    foldersOf: () => () => [],
  });
  const initial = typeof search.q === 'string' ? search.q : '';
  list.setQuery(initial);
  const [typed, setTyped] = createSignal(initial);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const apply = (q: string): void => {
    list.setQuery(q);
    setSearch({ q: q === '' ? undefined : q }, { replace: true });
  };
  const [hidden, setHidden] = createSignal<ReadonlySet<MapPointKind>>(new Set());
  const found = createMemo(() => mapPoints(list.view().rows));
  const shown = createMemo(() => {
    const off = hidden();
    const all = found().points;
    return off.size === 0 ? all : { ...all, features: all.features.filter((f) => !off.has(f.properties.kind)) };
  });
  const toggleKind = (kind: MapPointKind): void => {
    const next = new Set(hidden());
    if (next.has(kind)) next.delete(kind);
    else next.add(kind);
    setHidden(next);
  };
  const listHref = () =>
    `/projects/${encodeURIComponent(params.projectId)}/cases${typed() === '' ? '' : `?q=${encodeURIComponent(typed())}`}`;

  return (
    <section class="project-map" aria-labelledby="project-map-title">
      <div class="cases__top">
        <h1 id="project-map-title">{t('map.title')}</h1>
        <A class="button" href={listHref()}>
          {t('map.toList')}
        </A>
      </div>
      <Show when={useSync() === undefined}>
        <p class="status-message">{t('map.noDevice')}</p>
      </Show>
      <form
        class="search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          clearTimeout(timer);
          apply(typed());
        }}
      >
        <label class="search__field">
          <span class="visually-hidden">{t('cases.search')}</span>
          <input
            name="q"
            type="search"
            placeholder={`${t('cases.search')}: ${t('cases.searchHint')}`}
            autocomplete="off"
            value={typed()}
            onInput={(event) => {
              const q = event.currentTarget.value;
              setTyped(q);
              clearTimeout(timer);
              timer = setTimeout(() => apply(q), searchDelayMs);
            }}
          />
        </label>
      </form>
      <p class="cases__hint">{t('cases.queryHelp')}</p>
      <Show when={list.view().invalid}>
        {(term) => (
          <p class="alert" role="alert">
            {t('cases.queryInvalid', { term: term() })}
          </p>
        )}
      </Show>
      <ul class="project-map__legend" aria-label={t('map.legend')}>
        <For each={mapPointKinds.filter((kind) => (found().byKind.get(kind) ?? 0) > 0)}>
          {(kind) => (
            <li>
              <button
                type="button"
                class={`project-map__kind project-map__kind--${kind}`}
                aria-pressed={!hidden().has(kind)}
                onClick={() => toggleKind(kind)}
              >
                {t(kindKey[kind], { count: found().byKind.get(kind) ?? 0 })}
              </button>
            </li>
          )}
        </For>
      </ul>
      <p class="project-map__count" aria-live="polite">
        <Show when={list.caseload() !== null} fallback={t('app.loading')}>
          {t('map.summary', { shown: shown().features.length, unplaced: found().unplaced })}
        </Show>
      </p>
      <Show
        when={supportsWebGl()}
        fallback={
          <>
            <p class="status-message">{mapText(i18n.language())('map.noWebGl')}</p>
            <ul class="project-map__fallback">
              <For each={list.view().rows.slice(0, fallbackRows)}>
                {(row) => (
                  <li>
                    <A href={casePath(params.projectId, row.id)}>{row.label ?? t('cases.labelHidden')}</A>
                  </li>
                )}
              </For>
            </ul>
          </>
        }
      >
        <Suspense fallback={<p>{t('app.loading')}</p>}>
          <ClusterMap
            points={shown()}
            colours={colours}
            label={t('map.canvasLabel')}
            text={(key, values) => mapText(i18n.language())(key, values)}
            language={i18n.language()}
            basemapUrl={projectBasemapUrl(params.projectId)}
            onPick={(id) => navigate(casePath(params.projectId, id))}
          />
        </Suspense>
      </Show>
    </section>
  );
}
