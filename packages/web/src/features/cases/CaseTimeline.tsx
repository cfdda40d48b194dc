import { For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import type { TimelineItem } from './caseTimeline.js';

const stateKey = {
  unsent: 'casePage.timeline.unsent',
  rejected: 'casePage.timeline.rejected',
} as const;

/** What made a server version, in words (ODK Central's version sources). */
const sourceKey = {
  submission: 'casePage.timeline.source.submission',
  'submission-edit': 'casePage.timeline.source.submissionEdit',
  forced: 'casePage.timeline.source.forced',
  edit: 'casePage.timeline.source.edit',
  resolved: 'casePage.timeline.source.resolved',
  import: 'casePage.timeline.source.import',
} as const;

/** The title of an edit made on the server, by its action. */
const actionKey = {
  edit: 'casePage.timeline.action.edit',
  assign: 'casePage.timeline.action.assign',
  transfer: 'casePage.timeline.action.transfer',
  close: 'casePage.timeline.action.close',
  reopen: 'casePage.timeline.action.reopen',
  tag: 'casePage.timeline.action.tag',
  merge: 'casePage.timeline.action.merge',
  unmerge: 'casePage.timeline.action.unmerge',
} as const;

/** Every visit, assessment, referral and change of a case, newest first. */
export function CaseTimeline(props: { items: readonly TimelineItem[]; offline: boolean }): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  const title = (item: TimelineItem): string => {
    if (item.form !== null) return item.form;
    const action = item.action;
    return action !== null && Object.hasOwn(actionKey, action)
      ? t(actionKey[action as keyof typeof actionKey])
      : t('casePage.timeline.change');
  };
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
              <li
                class="case-timeline__item"
                data-state={item.state}
                data-version={item.version ?? ''}
                data-source={item.source ?? ''}
                data-action={item.action ?? ''}
                data-merged={item.merged ? 'true' : undefined}
              >
                <div class="case-timeline__head">
                  <strong>{title(item)}</strong>
                  <time datetime={item.at}>{i18n.formatDateTime(item.at)}</time>
                  <Show when={item.state !== 'server'}>
                    <span class={`badge sync-badge sync-badge--${item.state === 'unsent' ? 'pending' : 'rejected'}`}>
                      {t(stateKey[item.state === 'unsent' ? 'unsent' : 'rejected'])}
                    </span>
                  </Show>
                  <Show when={item.source}>
                    {(source) => <span class="badge case-timeline__source">{t(sourceKey[source()])}</span>}
                  </Show>
                  <Show when={item.conflict !== null}>
                    <span class="badge badge--moved">{t('casePage.timeline.conflict')}</span>
                  </Show>
                  <Show when={item.merged}>
                    <span class="badge case-timeline__merged">{t('casePage.timeline.mergedCase')}</span>
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
