import { createSignal, type Accessor } from 'solid-js';
import type { ApiProblem } from '../../api/ApiProblem.js';
import type { CaseSummary, OutpostApi } from '../../api/OutpostApi.js';

export interface CaseListModel {
  readonly items: Accessor<readonly CaseSummary[]>;
  readonly total: Accessor<number>;
  readonly query: Accessor<string>;
  readonly loading: Accessor<boolean>;
  readonly error: Accessor<ApiProblem | Error | null>;
  readonly hasMore: Accessor<boolean>;
  /** Starts over from the first page with the new search text. */
  search(q: string): Promise<void>;
  /** Appends the next page. */
  loadMore(): Promise<void>;
  /** Reloads the first page with the current search text. */
  reload(): Promise<void>;
}

export const defaultPageSize = 50;

export function createCaseList(api: OutpostApi, projectId: string, pageSize = defaultPageSize): CaseListModel {
  const [items, setItems] = createSignal<readonly CaseSummary[]>([]);
  const [total, setTotal] = createSignal(0);
  const [query, setQuery] = createSignal('');
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<ApiProblem | Error | null>(null);
  // Typing fires searches faster than the server answers; only the newest request may write.
  let generation = 0;

  async function fetchPage(offset: number, append: boolean): Promise<void> {
    generation += 1;
    const mine = generation;
    setLoading(true);
    setError(null);
    const q = query().trim();
    try {
      const page = await api.listCases(
        projectId,
        q === '' ? { limit: pageSize, offset } : { q, limit: pageSize, offset },
      );
      if (mine !== generation) return;
      setItems(append ? [...items(), ...page.items] : page.items);
      setTotal(page.total);
    } catch (cause) {
      if (mine !== generation) return;
      setError(cause instanceof Error ? cause : new Error(String(cause)));
    } finally {
      if (mine === generation) setLoading(false);
    }
  }

  return {
    items,
    total,
    query,
    loading,
    error,
    hasMore: () => items().length < total(),
    search(q) {
      setQuery(q);
      return fetchPage(0, false);
    },
    loadMore() {
      if (loading() || items().length >= total()) return Promise.resolve();
      return fetchPage(items().length, true);
    },
    reload() {
      return fetchPage(0, false);
    },
  };
}
