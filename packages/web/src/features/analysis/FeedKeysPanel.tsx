import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';

/**
 * The OData feed for Power BI and Excel: the addresses of the chosen form's feed and of the case
 * list, and the user's feed keys (a new key is shown once; any key can be revoked).
 */
export function FeedKeysPanel(props: { projectId: string; formId: string | null }): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [keys, { refetch }] = createResource(() => api.listFeedKeys());
  const [name, setName] = createSignal('');
  const [fresh, setFresh] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const origin = () => globalThis.location?.origin ?? '';
  const feedUrl = () =>
    props.formId === null
      ? null
      : `${origin()}/v1/projects/${encodeURIComponent(props.projectId)}/forms/${encodeURIComponent(props.formId)}.svc`;

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const made = await api.createFeedKey(name().trim());
      setFresh(made.key);
      setName('');
      await refetch();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.revokeFeedKey(id);
      await refetch();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="feed-title" class="feed-keys">
      <h2 id="feed-title">{t('analysis.feed.title')}</h2>
      <p>{t('analysis.feed.intro')}</p>
      <Show when={feedUrl()}>
        {(url) => (
          <p>
            {t('analysis.feed.formUrl')} <code class="feed-url">{url()}</code>
          </p>
        )}
      </Show>
      <Show when={error()}>{(err) => <ProblemAlert error={err()} />}</Show>
      <form class="feed-keys__new" onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>{t('analysis.feed.keyName')}</span>
          <input value={name()} maxLength={100} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button" disabled={name().trim() === ''}>
          {t('analysis.feed.create')}
        </button>
      </form>
      <Show when={fresh()}>
        {(key) => (
          <p class="feed-keys__fresh" role="status">
            {t('analysis.feed.shownOnce')} <code>{key()}</code>
          </p>
        )}
      </Show>
      <ul class="feed-keys__list">
        <For each={keys()?.filter((k) => k.revokedAt === null)}>
          {(key) => (
            <li>
              <span>{key.name}</span>{' '}
              <span class="quality-note">
                {key.lastUsedAt === null
                  ? t('analysis.feed.neverUsed')
                  : t('analysis.feed.lastUsed', { at: i18n.formatDateTime(key.lastUsedAt) })}
              </span>{' '}
              <button type="button" class="button button--quiet" onClick={() => void revoke(key.id)}>
                {t('analysis.feed.revoke')}
              </button>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
