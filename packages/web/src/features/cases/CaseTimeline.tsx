import { For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import type { TimelineItem } from './caseTimeline.js';

const stateKey = {
  unsent: 'casePage.timeline.unsent',
  rejected: 'casePage.timeline.rejected',
} as const;

/** Every visit, assessment, referral and change of a case, newest first. */
export function CaseTimeline(props: { items: readonly TimelineItem[]; offline: boolean }): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  return (
    <section class="case-timeline" aria-labelledby="case-timeline-title">
      <h2 id="case-timeline-title">{t('casePage.timeline')}</h2>
      <Show when={props.offline}>
        <p class="status-message">{t('casePage.timeline.offline')}</p>
      </Show>
      <Show when={props.items.length > 0} fallback={<p>{t('casePage.timeline.empty')}</p>}>
        <ol class="case-timeline__list">
          <For each={props.items}>
            {(item) => (
              <li class="case-timeline__item" data-state={item.state} data-version={item.version ?? ''}>
                <div class="case-timeline__head">
                  <strong>{item.form ?? t('casePage.timeline.change')}</strong>
                  <time datetime={item.at}>{i18n.formatDateTime(item.at)}</time>
                  <Show when={item.state !== 'server'}>
                    <span class={`badge sync-badge sync-badge--${item.state === 'unsent' ? 'pending' : 'rejected'}`}>
                      {t(stateKey[item.state === 'unsent' ? 'unsent' : 'rejected'])}
                    </span>
                  </Show>
                  <Show when={item.conflict !== null}>
                    <span class="badge badge--moved">{t('casePage.timeline.conflict')}</span>
                  </Show>
                </div>
                <Show when={item.by !== null || item.device !== null}>
                  <p class="case-timeline__who">
                    {item.device === null
                      ? t('casePage.timeline.by', { name: item.by ?? '' })
                      : t('casePage.timeline.byOn', { name: item.by ?? '', device: item.device })}
                  </p>
                </Show>
                <Show when={item.changes.length > 0}>
                  <dl class="case-timeline__changes">
                    <For each={item.changes}>
                      {(line) => (
                        <div>
                          <dt>{line.label}</dt>
                          <dd>{line.value}</dd>
                        </div>
                      )}
                    </For>
                  </dl>
                </Show>
                <Show when={item.withheld > 0}>
                  <p class="case-timeline__withheld">{t('casePage.timeline.withheld', { count: item.withheld })}</p>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
