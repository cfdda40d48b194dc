import { For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import type { CaseCounts, QuickFilter } from './caseRows.js';

/** One figure the overview shows and the filter a tap on it sets. */
export interface OverviewEntry {
  readonly label: string;
  readonly count: number;
  readonly filter: QuickFilter;
}

export interface OverviewGroup {
  readonly title: string;
  readonly entries: readonly OverviewEntry[];
}

function sameFilter(a: QuickFilter, b: QuickFilter): boolean {
  return a.kind === b.kind && ('value' in a ? a.value : '') === ('value' in b ? b.value : '');
}

/**
 * The home screen's figures: all cases, what needs attention (overdue follow-ups, conflicts, work
 * not yet sent), and the counts by status, risk, area and folder. Each figure is a button that
 * filters the list below to those cases; a second tap clears it.
 */
export function CaseOverview(props: {
  counts: CaseCounts;
  groups: readonly OverviewGroup[];
  active: readonly QuickFilter[];
  onToggle: (filter: QuickFilter) => void;
}): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  const pressed = (filter: QuickFilter) => props.active.some((f) => sameFilter(f, filter));
  const attention: Array<{ filter: QuickFilter; label: () => string; count: () => number }> = [
    { filter: { kind: 'overdue' }, label: () => t('overview.overdue'), count: () => props.counts.overdue },
    { filter: { kind: 'conflict' }, label: () => t('overview.conflicts'), count: () => props.counts.conflicts },
    { filter: { kind: 'unsent' }, label: () => t('overview.unsent'), count: () => props.counts.unsent },
  ];
  return (
    <section class="overview" aria-labelledby="overview-title">
      <h2 id="overview-title" class="visually-hidden">
        {t('overview.title')}
      </h2>
      <div class="overview__attention" role="group" aria-label={t('overview.attention')}>
        <p class="overview__total">{t('overview.total', { count: props.counts.total })}</p>
        <button
          type="button"
          class="overview__tile overview__tile--attention"
          aria-pressed={pressed({ kind: 'attention' })}
          onClick={() => props.onToggle({ kind: 'attention' })}
        >
          <span class="overview__figure">{i18n.formatNumber(props.counts.attention)}</span>
          <span>{t('overview.attention')}</span>
        </button>
        <For each={attention}>
          {(item) => (
            <button
              type="button"
              class="overview__tile"
              aria-pressed={pressed(item.filter)}
              data-filter={item.filter.kind}
              onClick={() => props.onToggle(item.filter)}
            >
              <span class="overview__figure">{i18n.formatNumber(item.count())}</span>
              <span>{item.label()}</span>
            </button>
          )}
        </For>
      </div>
      <div class="overview__groups">
        <For each={props.groups.filter((group) => group.entries.length > 0)}>
          {(group) => (
            <div class="overview__group" role="group" aria-label={group.title}>
              <h3>{group.title}</h3>
              <ul>
                <For each={group.entries}>
                  {(entry) => (
                    <li>
                      <button
                        type="button"
                        class="overview__count"
                        aria-pressed={pressed(entry.filter)}
                        onClick={() => props.onToggle(entry.filter)}
                      >
                        <span>{entry.label}</span>
                        <span class="overview__number">{i18n.formatNumber(entry.count)}</span>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </div>
          )}
        </For>
      </div>
      <Show when={props.active.length > 0}>
        <p class="overview__filtering">{t('overview.filtered', { count: props.active.length })}</p>
      </Show>
    </section>
  );
}
