import { createEffect, createMemo, createSignal, on, type Accessor } from 'solid-js';
import { listOpenedRecords } from '../../sync/openedRecords.js';
import type { DeviceSync } from '../../device/createDeviceSync.js';
import type { ProjectVocabulary } from '../forms/formVocabulary.js';
import { countCases, type CaseCounts, type CaseSort, type QuickFilter } from './caseRows.js';
import { DeviceCaseload, type CaseView } from './deviceCaseload.js';

export interface DeviceCaseList {
  /** Null until the device's records were read once. */
  readonly caseload: Accessor<DeviceCaseload | null>;
  readonly view: Accessor<CaseView>;
  readonly counts: Accessor<CaseCounts | null>;
  readonly query: Accessor<string>;
  readonly setQuery: (query: string) => void;
  readonly filters: Accessor<readonly QuickFilter[]>;
  readonly setFilters: (filters: readonly QuickFilter[]) => void;
  readonly sort: Accessor<CaseSort>;
  readonly setSort: (sort: CaseSort) => void;
}

const emptyView: CaseView = { rows: [], highlights: new Map(), invalid: null };

/** Today in the device's time zone, as `YYYY-MM-DD`: ages and overdue dates are calendar questions. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The case list of one project from the device's own store: re-read whenever the device's records
 * may have changed (`revision`), opening only what changed, with the search, filters and sort the
 * screen sets. Works the same offline.
 */
export function createDeviceCaseList(options: {
  readonly device: Accessor<DeviceSync | undefined>;
  readonly projectId: Accessor<string>;
  readonly vocabulary: Accessor<ProjectVocabulary | undefined>;
  readonly foldersOf: Accessor<(id: string) => readonly string[]>;
}): DeviceCaseList {
  const [query, setQuery] = createSignal('');
  const [filters, setFilters] = createSignal<readonly QuickFilter[]>([]);
  const [sort, setSort] = createSignal<CaseSort>('name');
  const [caseload, setCaseload] = createSignal<DeviceCaseload | null>(null, { equals: false });

  // A new project or new forms: a new index. Reads are chained so two never interleave.
  const fresh = createMemo(() => {
    const vocabulary = options.vocabulary();
    return vocabulary === undefined
      ? null
      : { projectId: options.projectId(), load: new DeviceCaseload(vocabulary.forms, localToday()) };
  });
  let chain: Promise<void> = Promise.resolve();
  createEffect(
    on([fresh, () => options.device(), () => options.device()?.revision()], ([target, device]) => {
      if (target === null || device === undefined) return;
      chain = chain
        .then(async () => {
          const records = await listOpenedRecords(device, target.projectId);
          // Another project opened meanwhile: its own read follows.
          if (fresh() !== target) return;
          target.load.update(records);
          setCaseload(target.load);
        })
        .catch(() => undefined);
    }),
  );

  const view = createMemo<CaseView>(() => {
    const load = caseload();
    if (load === null) return emptyView;
    return load.view({ query: query(), filters: filters(), sort: sort() }, options.foldersOf());
  });
  const counts = createMemo(() => {
    const load = caseload();
    return load === null ? null : countCases(load.all(), options.foldersOf());
  });
  return { caseload, view, counts, query, setQuery, filters, setFilters, sort, setSort };
}
