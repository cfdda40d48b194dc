import { describe, expect, it } from 'vitest';
import { createMemoryApi } from '../../api/createMemoryApi.js';
import type { CasePage, CaseQuery, CaseSummary, OutpostApi } from '../../api/OutpostApi.js';
import { createCaseList } from './createCaseList.js';

const fieldworker = { id: 'u1', username: 'fieldworker', displayName: 'Field Worker', role: 'fieldworker' };

function caseNamed(n: number, label: string): CaseSummary {
  return {
    id: `c${n}`,
    list: 'cases',
    label,
    status: 'open',
    area: { id: 'khoroo-1', name: '1-р хороо' },
    assignee: null,
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  };
}

async function signedInApi(cases: readonly CaseSummary[]): Promise<OutpostApi> {
  const api = createMemoryApi({
    accounts: [{ user: fieldworker, password: 'pw' }],
    projects: [{ id: 'p1', slug: 'bz', name: 'Bayanzürkh social protection', role: 'fieldworker' }],
    cases: { p1: cases },
  });
  await api.login('fieldworker', 'pw');
  return api;
}

describe('createCaseList', () => {
  it('shows the newest cases first and pages through the rest with "more"', async () => {
    const api = await signedInApi(Array.from({ length: 5 }, (_, i) => caseNamed(i, `Case ${i}`)));
    const list = createCaseList(api, 'p1', 2);

    await list.reload();
    expect(list.items().map((c) => c.label)).toEqual(['Case 4', 'Case 3']);
    expect(list.total()).toBe(5);
    expect(list.hasMore()).toBe(true);

    await list.loadMore();
    await list.loadMore();
    expect(list.items().map((c) => c.label)).toEqual(['Case 4', 'Case 3', 'Case 2', 'Case 1', 'Case 0']);
    expect(list.hasMore()).toBe(false);
  });

  it('starts over from the first page when the search text changes', async () => {
    const api = await signedInApi([caseNamed(1, 'Батбаяр Дорж'), caseNamed(2, 'Сарангэрэл Бат'), caseNamed(3, 'Оюун')]);
    const list = createCaseList(api, 'p1', 1);
    await list.reload();
    await list.loadMore();
    expect(list.items()).toHaveLength(2);

    await list.search('бат');
    expect(list.query()).toBe('бат');
    expect(list.items().map((c) => c.label)).toEqual(['Сарангэрэл Бат']);
    expect(list.total()).toBe(2);

    await list.search('nobody');
    expect(list.items()).toEqual([]);
    expect(list.total()).toBe(0);
  });

  it('keeps the answer to the newest search when an older one arrives late', async () => {
    const releases: Array<() => void> = [];
    const slowFirst: OutpostApi = {
      ...(await signedInApi([caseNamed(1, 'Alpha'), caseNamed(2, 'Beta')])),
      listCases(_projectId: string, query: CaseQuery): Promise<CasePage> {
        const label = query.q === 'al' ? 'Alpha' : 'Beta';
        return new Promise((resolve) => {
          releases.push(() => resolve({ items: [caseNamed(0, label)], total: 1 }));
        });
      },
    };
    const list = createCaseList(slowFirst, 'p1');
    const older = list.search('al');
    const newer = list.search('be');
    releases[1]?.();
    await newer;
    releases[0]?.();
    await older;
    expect(list.items().map((c) => c.label)).toEqual(['Beta']);
    expect(list.loading()).toBe(false);
  });

  it('keeps what it showed and reports the problem when the server cannot be reached', async () => {
    const api = await signedInApi([caseNamed(1, 'Alpha')]);
    const list = createCaseList(api, 'p1');
    await list.reload();
    await api.logout();

    await list.search('x');
    expect(list.error()).toMatchObject({ code: 'auth.required' });
    expect(list.items().map((c) => c.label)).toEqual(['Alpha']);
    expect(list.loading()).toBe(false);
  });
});
