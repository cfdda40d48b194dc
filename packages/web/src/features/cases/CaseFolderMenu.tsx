import { createSignal, For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import type { CaseFolders } from './createCaseFolders.js';

/**
 * The folders one case is in, as checkboxes: tick to put it in, untick to take it out. Works
 * offline (the change is sent later). For the case list's rows and the case page alike.
 */
export function CaseFolderMenu(props: { folders: CaseFolders; caseId: string; caseLabel: string }): JSX.Element {
  const { t } = useApp().i18n;
  const manual = () => props.folders.folders().filter((folder) => folder.query === null);
  const isIn = (folderId: string) => props.folders.foldersOfCase()(props.caseId).includes(folderId);
  const count = () => props.folders.foldersOfCase()(props.caseId).length;
  return (
    <details class="case-actions case-folders">
      <summary class="button button--subtle" aria-label={t('folders.menuFor', { name: props.caseLabel })}>
        {count() === 0 ? t('folders.menu') : t('folders.inCount', { count: count() })}
      </summary>
      <div class="case-actions__menu case-folders__menu">
        <Show when={manual().length > 0} fallback={<p>{t('folders.none')}</p>}>
          <For each={manual()}>
            {(folder) => (
              <label class="case-folders__choice">
                <input
                  type="checkbox"
                  checked={isIn(folder.id)}
                  onChange={(event) => void props.folders.setCase(folder.id, props.caseId, event.currentTarget.checked)}
                />
                <span>{folder.name}</span>
                <span class="case-folders__kind">
                  {folder.kind === 'team' ? t('folders.kind.team') : t('folders.kind.personal')}
                </span>
              </label>
            )}
          </For>
        </Show>
      </div>
    </details>
  );
}

/**
 * The folder bar above the list: each folder as a filter (a smart folder runs its saved search),
 * a new folder (personal or for the team), and the search in the box saved as a smart folder.
 */
export function FolderBar(props: {
  folders: CaseFolders;
  counts: ReadonlyMap<string, number>;
  activeFolder: string | null;
  query: string;
  onFolder: (folderId: string | null) => void;
  onSmartFolder: (query: string) => void;
}): JSX.Element {
  const { t } = useApp().i18n;
  const [name, setName] = createSignal('');
  const [kind, setKind] = createSignal<'personal' | 'team'>('personal');
  const create = (query: string | null): void => {
    const chosen = name().trim();
    if (chosen === '') return;
    void props.folders.create(chosen, kind(), query);
    setName('');
  };
  return (
    <section class="folder-bar" aria-labelledby="folders-title">
      <h2 id="folders-title">{t('folders.title')}</h2>
      <ul class="folder-bar__list">
        <For each={props.folders.folders()}>
          {(folder) => (
            <li>
              <button
                type="button"
                class="folder-chip"
                aria-pressed={folder.query === null ? props.activeFolder === folder.id : props.query === folder.query}
                onClick={() =>
                  folder.query === null
                    ? props.onFolder(props.activeFolder === folder.id ? null : folder.id)
                    : props.onSmartFolder(folder.query)
                }
              >
                <span>{folder.name}</span>
                <span class="folder-chip__meta">
                  {folder.query !== null
                    ? t('folders.kind.smart')
                    : `${folder.kind === 'team' ? t('folders.kind.team') : t('folders.kind.personal')} · ${props.counts.get(folder.id) ?? 0}`}
                </span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.folders.unsent() > 0}>
        <p class="folder-bar__unsent">{t('folders.unsent', { count: props.folders.unsent() })}</p>
      </Show>
      <form
        class="folder-bar__new"
        onSubmit={(event) => {
          event.preventDefault();
          create(null);
        }}
      >
        <label>
          <span>{t('folders.newName')}</span>
          <input value={name()} maxLength={80} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <label>
          <span>{t('folders.newKind')}</span>
          <select
            value={kind()}
            onChange={(event) => setKind(event.currentTarget.value === 'team' ? 'team' : 'personal')}
          >
            <option value="personal">{t('folders.kind.personal')}</option>
            <option value="team">{t('folders.kind.team')}</option>
          </select>
        </label>
        <button type="submit" class="button" disabled={name().trim() === ''}>
          {t('folders.create')}
        </button>
        <button
          type="button"
          class="button"
          disabled={name().trim() === '' || props.query.trim() === ''}
          onClick={() => create(props.query.trim())}
        >
          {t('folders.saveSearch')}
        </button>
      </form>
    </section>
  );
}
