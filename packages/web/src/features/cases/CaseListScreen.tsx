import { A, useParams, useSearchParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, onCleanup, Show, useContext, type JSX } from 'solid-js';
import { ShellContext, useApp } from '../../app/AppContext.js';
import type { MessageKey } from '../../i18n/en.js';
import { emptyVocabulary, loadProjectVocabulary } from '../forms/formVocabulary.js';
import { listName } from '../forms/listName.js';
import { valueText } from './caseProperties.js';
import { DeviceCases } from './DeviceCases.jsx';
import { savedNotice } from '../sync/savedNotice.js';
import { SyncContext, useSync } from '../../device/SyncContext.js';
import { caseSorts, type CaseRow, type CaseSort, type QuickFilter } from './caseRows.js';
import { CaseOverview, type OverviewGroup } from './CaseOverview.jsx';
import { CaseFolderMenu, FolderBar } from './CaseFolderMenu.jsx';
import { categoryName } from './CaseActions.jsx';
import { CaseCategoryMenu } from './CaseCategoryMenu.jsx';
import { CaseTable } from './CaseTable.jsx';
import { DeletedCases } from './DeletedCases.jsx';
import { DuplicateCases } from './DuplicateCases.jsx';
import { createCaseFolders } from './createCaseFolders.js';
import { createDeviceCaseList } from './createDeviceCaseList.js';
import { casePath, followUpPath, listFollowUpForms } from './followUpForms.js';
import { statusLabel } from './statusLabel.js';

// Long enough to skip the searches in the middle of a word, short enough to feel instant.
const searchDelayMs = 150;

const sortKeys = {
  name: 'cases.sort.name',
  priority: 'cases.sort.priority',
  nextVisit: 'cases.sort.nextVisit',
  lastVisit: 'cases.sort.lastVisit',
  age: 'cases.sort.age',
} as const satisfies Readonly<Record<CaseSort, MessageKey>>;

/**
 * The home screen of a project: the overview of the cases on this device and the list below it,
 * searched, filtered and sorted on the device, the same online and offline.
 */
export function CaseListScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  // `q`: the search the map screen had (the two share one query language and hand it over).
  const [search] = useSearchParams<{ sent?: string; saved?: string; q?: string }>();
  // The form was saved just before this screen opened; a sync finished after that has sent it.
  const savedAt = new Date(Date.now() - 1000).toISOString();
  const [followUps] = createResource(
    () => params.projectId,
    (projectId) => listFollowUpForms(api, projectId),
  );
  const followUpsOf = (list: string) => (followUps() ?? []).filter((form) => form.dataset === list);
  const shell = useContext(ShellContext);
  const mayFill = (): boolean => shell?.projects()?.find((p) => p.id === params.projectId)?.canSubmit !== false;
  // Roles that may change cases (the server decides for each case): tagging from the list.
  const writes = (): boolean =>
    ['admin', 'supervisor', 'fieldworker'].includes(
      shell?.projects()?.find((p) => p.id === params.projectId)?.role ?? '',
    );
  // Roles that may restore deleted cases (`cases.assign`; the server lists only those in reach).
  const restores = (): boolean =>
    ['admin', 'supervisor'].includes(shell?.projects()?.find((p) => p.id === params.projectId)?.role ?? '');
  // Roles that review the caseload in the office: possible duplicates (the server decides who may merge).
  const reviewsDuplicates = (): boolean =>
    ['admin', 'supervisor', 'analyst'].includes(shell?.projects()?.find((p) => p.id === params.projectId)?.role ?? '');
  // Status and choice words, the search schema and the area names come from the project's forms
  // (the device's copies when offline).
  const [vocabulary] = createResource(
    () => params.projectId,
    (projectId) => loadProjectVocabulary(api, projectId),
  );
  // Read once here: event handlers run outside the component, where a context cannot be read.
  const syncContext = useContext(SyncContext);
  const device = () => syncContext?.();
  const folders = createCaseFolders({ api, device, projectId: () => params.projectId });
  const list = createDeviceCaseList({
    device,
    projectId: () => params.projectId,
    vocabulary: () => vocabulary(),
    foldersOf: () => folders.foldersOfCase(),
  });

  const [typed, setTyped] = createSignal(typeof search.q === 'string' ? search.q : '');
  list.setQuery(typed());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const scheduleSearch = (q: string): void => {
    setTyped(q);
    clearTimeout(timer);
    timer = setTimeout(() => list.setQuery(q), searchDelayMs);
  };
  const searchNow = (q: string): void => {
    clearTimeout(timer);
    setTyped(q);
    list.setQuery(q);
  };
  const activeFolder = () => {
    const filter = list.filters().find((f) => f.kind === 'folder');
    return filter?.kind === 'folder' ? filter.value : null;
  };
  onCleanup(() => clearTimeout(timer));

  const toggle = (filter: QuickFilter): void => {
    const same = (f: QuickFilter) =>
      f.kind === filter.kind && ('value' in f ? f.value : '') === ('value' in filter ? filter.value : '');
    const current = list.filters();
    list.setFilters(
      current.some(same) ? current.filter((f) => !same(f)) : [...current.filter((f) => f.kind !== filter.kind), filter],
    );
  };

  const language = () => i18n.language();
  const statusText = (status: string, listName: string) =>
    statusLabel(i18n, status, { vocabulary: vocabulary() ?? emptyVocabulary, list: listName });
  const areaText = (row: CaseRow): string =>
    row.area === null
      ? '—'
      : (list.caseload()?.choiceText(row.area.field, row.area.code, language()) ?? t('cases.areaUnknown'));
  // The triage form's choices name the experts: their label is the person's name in this language.
  const assigneeText = (row: CaseRow): string =>
    row.assignee === null
      ? '—'
      : ((vocabulary() ?? emptyVocabulary).choiceLabel(
          row.list,
          row.assignee.field,
          row.assignee.username,
          language(),
        ) ?? row.assignee.username);
  const riskText = (value: string): string => {
    const property = list.caseload()?.riskProperty ?? null;
    return (
      (property === null ? undefined : list.caseload()?.choiceText(property, value, language())) ??
      i18n.find(`risk.${value}`) ??
      value
    );
  };

  const groups = createMemo<OverviewGroup[]>(() => {
    const counts = list.counts();
    const load = list.caseload();
    if (counts === null || load === null) return [];
    let firstList = '';
    for (const row of load.all()) {
      firstList = row.list;
      break;
    }
    const byCount = <T extends { count: number }>(entries: T[]) => entries.sort((a, b) => b.count - a.count);
    return [
      {
        title: t('overview.byStatus'),
        entries: byCount(
          [...counts.byStatus].map(([value, count]) => ({
            label: statusText(value, firstList),
            count,
            filter: { kind: 'status', value } as const,
          })),
        ),
      },
      {
        title: t('overview.byRisk'),
        entries: byCount(
          [...counts.byRisk].map(([value, count]) => ({
            label: riskText(value),
            count,
            filter: { kind: 'risk', value } as const,
          })),
        ),
      },
      {
        title: t('overview.byFolder'),
        entries: folders
          .folders()
          .filter((folder) => folder.query === null)
          .map((folder) => ({
            label: folder.name,
            count: counts.byFolder.get(folder.id) ?? 0,
            filter: { kind: 'folder', value: folder.id } as const,
          })),
      },
      {
        title: t('overview.byCategory'),
        entries: byCount(
          folders.categories().map((category) => ({
            label: categoryName(category, language()),
            count: counts.byCategory.get(category.code) ?? 0,
            filter: { kind: 'category', value: category.code } as const,
          })),
        ),
      },
      {
        title: t('overview.byArea'),
        entries: byCount(
          [...counts.byArea.values()].map((area) => ({
            label: load.choiceText(area.field, area.code, language()) ?? t('cases.areaUnknown'),
            count: area.count,
            filter: { kind: 'area', value: area.code } as const,
          })),
        ).slice(0, 12),
      },
    ];
  });

  return (
    <section class="cases" aria-labelledby="cases-title">
      <div class="cases__top">
        <h1 id="cases-title">{t('cases.title')}</h1>
        <A class="button" href={`/projects/${encodeURIComponent(params.projectId)}/tasks`}>
          {t('tasks.nav')}
        </A>
        <Show when={mayFill()}>
          <A class="button button--primary" href={`/projects/${encodeURIComponent(params.projectId)}/forms`}>
            {t('cases.fillForm')}
          </A>
        </Show>
        <A
          class="button"
          href={`/projects/${encodeURIComponent(params.projectId)}/map${typed() === '' ? '' : `?q=${encodeURIComponent(typed())}`}`}
        >
          {t('map.nav')}
        </A>
        <A class="button" href={`/projects/${encodeURIComponent(params.projectId)}/review`}>
          {t('review.link')}
        </A>
      </div>

      <Show when={search.sent === '1'}>
        <p class="status-message" role="status">
          {t('form.sent')}
        </p>
      </Show>
      <Show when={search.saved === '1'}>
        <p class="status-message" role="status">
          {t(savedNotice(useSync()?.status(), savedAt))}
        </p>
      </Show>

      <Show when={list.counts()}>
        {(counts) => <CaseOverview counts={counts()} groups={groups()} active={list.filters()} onToggle={toggle} />}
      </Show>

      <div class="cases__tools">
        <form
          class="search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            searchNow(typed());
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
              onInput={(event) => scheduleSearch(event.currentTarget.value)}
            />
          </label>
        </form>
        <label class="cases__sort">
          <span>{t('cases.sortBy')}</span>
          <select value={list.sort()} onChange={(event) => list.setSort(event.currentTarget.value as CaseSort)}>
            <For each={caseSorts}>{(sort) => <option value={sort}>{t(sortKeys[sort])}</option>}</For>
          </select>
        </label>
      </div>
      <p class="cases__hint">{t('cases.queryHelp')}</p>

      <FolderBar
        folders={folders}
        counts={list.counts()?.byFolder ?? new Map()}
        activeFolder={activeFolder()}
        query={typed()}
        onFolder={(folderId) => {
          const others = list.filters().filter((f) => f.kind !== 'folder');
          list.setFilters(folderId === null ? others : [...others, { kind: 'folder', value: folderId }]);
        }}
        onSmartFolder={(query) => searchNow(typed() === query ? '' : query)}
      />

      <Show when={list.view().invalid}>
        {(term) => (
          <p class="alert" role="alert">
            {t('cases.queryInvalid', { term: term() })}
          </p>
        )}
      </Show>

      <p class="cases__count" aria-live="polite">
        <Show when={list.caseload() !== null} fallback={t('app.loading')}>
          {list.view().rows.length === 0
            ? t('cases.empty')
            : t('cases.found', { count: list.view().rows.length, total: list.caseload()?.size ?? 0 })}
        </Show>
      </p>

      <Show when={list.view().rows.length > 0}>
        <CaseTable
          rows={list.view().rows}
          highlights={list.view().highlights}
          caseHref={(row) => casePath(params.projectId, row.id)}
          columns={{
            status: (row) =>
              row.status === null ? (
                '—'
              ) : (
                <span class={`badge badge--${badgeTone(row.status)}`}>{statusText(row.status, row.list)}</span>
              ),
            area: areaText,
            assignee: assigneeText,
            risk: (row) => (row.risk === null ? '—' : riskText(row.risk)),
            actions: (row) => (
              <div class="case-row__actions">
                <CaseFolderMenu folders={folders} caseId={row.id} caseLabel={row.label ?? t('cases.labelHidden')} />
                <Show when={writes() && folders.categories().length > 0 && row.record.version > 0}>
                  <CaseCategoryMenu
                    projectId={params.projectId}
                    caseId={row.id}
                    caseLabel={row.label ?? t('cases.labelHidden')}
                    version={row.record.version}
                    tagged={row.categories}
                    categories={folders.categories()}
                    onTagged={() =>
                      void device()
                        ?.engine.syncNow()
                        .catch(() => undefined)
                    }
                  />
                </Show>
                <Show when={followUpsOf(row.list).length > 0}>
                  <details class="case-actions">
                    <summary class="button button--subtle">{t('cases.record')}</summary>
                    <ul class="case-actions__menu">
                      <For each={followUpsOf(row.list)}>
                        {(form) => (
                          <li>
                            <A href={followUpPath(params.projectId, form, row.id)}>{form.title}</A>
                          </li>
                        )}
                      </For>
                    </ul>
                  </details>
                </Show>
              </div>
            ),
          }}
        />
      </Show>

      <Show when={reviewsDuplicates() && (vocabulary()?.lists().length ?? 0) > 0}>
        <DuplicateCases
          projectId={params.projectId}
          lists={vocabulary()?.lists() ?? []}
          listName={(l) => listName(l, vocabulary() ?? emptyVocabulary, i18n)}
          propertyLabel={(l, property) => vocabulary()?.propertyLabel(l, property, i18n.language()) ?? property}
          valueText={(l, property, value) =>
            valueText(vocabulary() ?? emptyVocabulary, l, property, value, i18n.language())
          }
          onChanged={() =>
            void device()
              ?.engine.syncNow()
              .catch(() => undefined)
          }
        />
      </Show>

      <Show when={restores()}>
        <DeletedCases
          projectId={params.projectId}
          onRestored={() =>
            void device()
              ?.engine.syncNow()
              .catch(() => undefined)
          }
        />
      </Show>

      <DeviceCases projectId={params.projectId} />
    </section>
  );
}

/** Colour classes for the statuses we know; anything else stays neutral. */
function badgeTone(status: string): 'open' | 'progress' | 'closed' | 'moved' | 'neutral' {
  switch (status) {
    case 'open':
      return 'open';
    case 'in_progress':
      return 'progress';
    case 'closed':
      return 'closed';
    case 'referred':
    case 'transferred':
      return 'moved';
    default:
      return 'neutral';
  }
}
