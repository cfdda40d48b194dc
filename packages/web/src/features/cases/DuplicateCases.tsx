import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { DuplicatePair, DuplicatePairCase } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import { duplicateReasonText } from '../forms/DuplicateWarning.jsx';

const pageSize = 20;

/**
 * The case list's "Possible duplicates" view (issue 12), for roles that read cases in the office:
 * the server's candidate pairs of one list, side by side with the values compared and why they
 * look alike; names and identifying values only for roles shown them. Roles that may merge
 * (`cases.merge`) merge the newer registration into the older after a confirmation, and may undo
 * it at once (or later, from the surviving case's page).
 */
export function DuplicateCases(props: {
  projectId: string;
  lists: readonly string[];
  /** A list's name in the chosen language (`listName`), never its raw name. */
  listName: (list: string) => string;
  propertyLabel: (list: string, property: string) => string;
  /** A compared value in the forms' words (a select's choice label, an area's name), as the case page shows it. */
  valueText: (list: string, property: string, value: string) => string;
  onChanged: () => void;
}): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [open, setOpen] = createSignal(false);
  const [list, setList] = createSignal<string | null>(null);
  const [offset, setOffset] = createSignal(0);
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  // Pairs merged here: key → the duplicate's id, for "Undo merge".
  const [merged, setMerged] = createSignal<ReadonlyMap<string, string>>(new Map());
  const chosen = () => list() ?? props.lists[0] ?? null;
  const [report, { refetch }] = createResource(
    () => {
      const l = chosen();
      return open() && l !== null ? { list: l, offset: offset() } : null;
    },
    ({ list: l, offset: o }) => api.listDuplicates(props.projectId, l, pageSize, o),
  );
  const keyOf = (pair: DuplicatePair) => `${pair.cases[0].id}/${pair.cases[1].id}`;
  const nameOf = (c: DuplicatePairCase) => c.label ?? t('cases.labelHidden');

  const run = async (work: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      props.onChanged();
    } catch (caught) {
      setError(problemMessage(i18n, caught).message);
    } finally {
      setBusy(false);
    }
  };
  // The newer registration goes into the older one, which keeps its values.
  const merge = (pair: DuplicatePair) =>
    run(async () => {
      const [survivor, duplicate] = pair.cases;
      await api.mergeCase(props.projectId, duplicate.id, survivor.id, {
        baseVersion: duplicate.version,
        intoBaseVersion: survivor.version,
      });
      setMerged((m) => new Map([...m, [keyOf(pair), duplicate.id]]));
      setConfirming(null);
    });
  const undo = (pair: DuplicatePair, duplicateId: string) =>
    run(async () => {
      await api.unmergeCase(props.projectId, duplicateId);
      setMerged((m) => new Map([...m].filter(([k]) => k !== keyOf(pair))));
      await refetch();
    });

  const side = (l: string, c: DuplicatePairCase, role: 'survivor' | 'duplicate') => (
    <div class="duplicate-pair__case" data-case-id={c.id} data-role={role}>
      <strong>{nameOf(c)}</strong>
      <dl>
        <For each={Object.entries(c.values)}>
          {([property, value]) => (
            <div>
              <dt>{props.propertyLabel(l, property)}</dt>
              <dd>{props.valueText(l, property, value)}</dd>
            </div>
          )}
        </For>
      </dl>
    </div>
  );

  return (
    <details class="duplicate-cases" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary class="button button--subtle">{t('duplicates.title')}</summary>
      <Show when={props.lists.length > 1}>
        <label>
          {t('duplicates.list')}{' '}
          <select
            value={chosen() ?? ''}
            onChange={(event) => {
              setList(event.currentTarget.value);
              setOffset(0);
            }}
          >
            <For each={props.lists}>{(l) => <option value={l}>{props.listName(l)}</option>}</For>
          </select>
        </label>
      </Show>
      <Show when={error() ?? (report.error === undefined ? null : problemMessage(i18n, report.error).message)}>
        {(message) => (
          <p class="alert" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <Show when={report.loading}>
        <p>{t('app.loading')}</p>
      </Show>
      <Show when={report.state === 'ready' ? report() : undefined}>
        {(r) => (
          <>
            <p>
              {t('duplicates.summary', { pairs: r().total, scanned: r().scanned })}
              <Show when={r().truncated}> {t('duplicates.truncated')}</Show>
            </p>
            <Show when={r().items.length > 0} fallback={<p>{t('duplicates.empty')}</p>}>
              <ul class="duplicate-pairs" aria-label={t('duplicates.title')}>
                <For each={r().items}>
                  {(pair) => {
                    const l = chosen() ?? '';
                    const done = () => merged().get(keyOf(pair));
                    return (
                      <li class="duplicate-pair" data-pair={keyOf(pair)}>
                        <p class="duplicate-pair__why">
                          {t('duplicates.score', { score: pair.score })} · {duplicateReasonText(i18n, pair.reasons)}
                        </p>
                        <div class="duplicate-pair__sides">
                          {side(l, pair.cases[0], 'survivor')}
                          {side(l, pair.cases[1], 'duplicate')}
                        </div>
                        <Show when={r().mayMerge}>
                          <Show
                            when={done()}
                            fallback={
                              <Show
                                when={confirming() === keyOf(pair)}
                                fallback={
                                  <button
                                    type="button"
                                    class="button"
                                    disabled={busy()}
                                    onClick={() => setConfirming(keyOf(pair))}
                                  >
                                    {t('duplicates.merge')}
                                  </button>
                                }
                              >
                                <p>
                                  {t('duplicates.mergeExplain', {
                                    duplicate: nameOf(pair.cases[1]),
                                    survivor: nameOf(pair.cases[0]),
                                  })}
                                </p>
                                <button
                                  type="button"
                                  class="button button--primary"
                                  disabled={busy()}
                                  onClick={() => void merge(pair)}
                                >
                                  {t('duplicates.mergeConfirm')}
                                </button>
                                <button
                                  type="button"
                                  class="button"
                                  disabled={busy()}
                                  onClick={() => setConfirming(null)}
                                >
                                  {t('duplicates.cancel')}
                                </button>
                              </Show>
                            }
                          >
                            {(duplicateId) => (
                              <p class="status-message" role="status">
                                {t('duplicates.merged', { survivor: nameOf(pair.cases[0]) })}{' '}
                                <button
                                  type="button"
                                  class="button"
                                  disabled={busy()}
                                  onClick={() => void undo(pair, duplicateId())}
                                >
                                  {t('duplicates.undo')}
                                </button>
                              </p>
                            )}
                          </Show>
                        </Show>
                      </li>
                    );
                  }}
                </For>
              </ul>
              <nav class="duplicate-cases__pages">
                <button
                  type="button"
                  class="button"
                  disabled={offset() === 0}
                  onClick={() => setOffset(Math.max(0, offset() - pageSize))}
                >
                  {t('duplicates.previous')}
                </button>
                <button
                  type="button"
                  class="button"
                  disabled={offset() + pageSize >= r().total}
                  onClick={() => setOffset(offset() + pageSize)}
                >
                  {t('duplicates.next')}
                </button>
              </nav>
            </Show>
          </>
        )}
      </Show>
    </details>
  );
}
