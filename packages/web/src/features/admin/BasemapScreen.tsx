import { createEffect, createResource, createSignal, on, Show, type JSX } from 'solid-js';
import { ProjectSelect } from '../../app/ProjectSelect.jsx';
import { basemapLimitBytes, type BasemapInfo } from '../../api/BasemapApi.js';
import { useApp } from '../../app/AppContext.js';
import { projectBasemapUrl } from '../../maps/basemapSource.js';
import { readBasemapFacts, type BasemapFacts } from '../../maps/basemapFacts.js';
import { createLoadable } from './createLoadable.js';
import { ProblemAlert } from './ProblemAlert.jsx';

const format = { format: 'PMTiles' };

/** Where the upload stands. */
type Upload =
  | { kind: 'none' }
  | { kind: 'refused'; reason: 'tooLarge' | 'notPmtiles'; bytes: number }
  | { kind: 'sending'; sent: number; total: number }
  | { kind: 'done' };

/**
 * `/admin/basemap`: a project's offline basemap. Shows the current one (its name, size, the area
 * and zoom levels it covers, read from the archive), checks a chosen file on this computer first
 * (a PMTiles v3 archive within the size limit), uploads it with its progress and replaces the
 * current one. The server deletes the replaced file when no other project uses it.
 */
export function BasemapScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const projects = createLoadable(() => api.listProjects());
  const [projectId, setProjectId] = createSignal<string | undefined>(undefined);
  const [upload, setUpload] = createSignal<Upload>({ kind: 'none' });
  const [failure, setFailure] = createSignal<unknown>(undefined);
  const [chosen, setChosen] = createSignal<{ file: File; facts: BasemapFacts } | undefined>(undefined);
  let fileInput: HTMLInputElement | undefined;

  createEffect(() => {
    const first = projects.value()?.[0];
    if (projectId() === undefined && first !== undefined) setProjectId(first.id);
  });
  createEffect(
    on(projectId, () => {
      setUpload({ kind: 'none' });
      setFailure(undefined);
      setChosen(undefined);
      if (fileInput) fileInput.value = '';
    }),
  );

  const [current, { refetch }] = createResource(projectId, async (id) => {
    const info = await api.getBasemap(id);
    if (info === null) return { info: null, facts: null };
    // The sha256 in the URL: a replaced basemap is read afresh, not from the browser's cache.
    const facts = await readBasemapFacts(`${projectBasemapUrl(id)}?v=${info.sha256}`).catch(() => null);
    return { info, facts };
  });

  const size = (bytes: number): string =>
    t('basemap.megabytes', { value: i18n.formatNumber(Math.round((bytes / 2 ** 20) * 10) / 10) });

  const choose = async (file: File | undefined): Promise<void> => {
    setFailure(undefined);
    setChosen(undefined);
    if (file === undefined) {
      setUpload({ kind: 'none' });
      return;
    }
    if (file.size > basemapLimitBytes) {
      setUpload({ kind: 'refused', reason: 'tooLarge', bytes: file.size });
      return;
    }
    try {
      setChosen({ file, facts: await readBasemapFacts(file) });
      setUpload({ kind: 'none' });
    } catch {
      setUpload({ kind: 'refused', reason: 'notPmtiles', bytes: file.size });
    }
  };

  const send = async (): Promise<void> => {
    const id = projectId();
    const file = chosen()?.file;
    if (id === undefined || file === undefined) return;
    setFailure(undefined);
    setUpload({ kind: 'sending', sent: 0, total: file.size });
    try {
      await api.uploadBasemap(id, file, (sent, total) => setUpload({ kind: 'sending', sent, total }));
      setUpload({ kind: 'done' });
      setChosen(undefined);
      if (fileInput) fileInput.value = '';
      await refetch();
    } catch (error) {
      setUpload({ kind: 'none' });
      setFailure(() => error);
    }
  };

  const sending = () => upload().kind === 'sending';
  const percent = (): number => {
    const now = upload();
    return now.kind === 'sending' && now.total > 0 ? Math.floor((now.sent / now.total) * 100) : 0;
  };

  return (
    <div class="admin-section basemap-admin">
      <h2 class="visually-hidden">{t('admin.tab.basemap')}</h2>
      <Show when={projects.error()}>
        {(error) => <ProblemAlert error={error()} lead={t('admin.loadError')} onRetry={() => void projects.reload()} />}
      </Show>
      <p class="forms-admin__intro">{t('basemap.intro', { ...format, limit: size(basemapLimitBytes) })}</p>
      <ProjectSelect
        label={t('basemap.project')}
        projects={projects.value()}
        selected={projectId()}
        onSelect={setProjectId}
      />

      <section class="card basemap-admin__current" aria-labelledby="basemap-current-title">
        <h3 id="basemap-current-title">{t('basemap.current')}</h3>
        <Show when={current()} fallback={<p>{t('app.loading')}</p>}>
          {(shown) => (
            <Show when={shown().info} fallback={<p class="empty">{t('basemap.none')}</p>}>
              {(info) => <Facts info={info()} facts={shown().facts} size={size} />}
            </Show>
          )}
        </Show>
      </section>

      <section class="card admin-add" aria-labelledby="basemap-upload-title">
        <h3 id="basemap-upload-title" class="admin-add__title">
          {current()?.info ? t('basemap.replace') : t('basemap.upload')}
        </h3>
        <div class="forms-admin__file">
          <label class="button forms-admin__choose">
            {t('basemap.choose', format)}
            <input
              ref={fileInput}
              class="visually-hidden"
              name="basemap"
              type="file"
              accept=".pmtiles,application/vnd.pmtiles"
              disabled={sending()}
              onChange={(event) => void choose(event.currentTarget.files?.[0])}
            />
          </label>
          <span class="forms-admin__file-name">{chosen()?.file.name ?? ''}</span>
        </div>
        <Show when={chosen()}>
          {(picked) => (
            <>
              <Facts info={{ sha256: '', bytes: picked().file.size }} facts={picked().facts} size={size} />
              <button type="button" class="button button--primary" disabled={sending()} onClick={() => void send()}>
                {current()?.info ? t('basemap.replace') : t('basemap.upload')}
              </button>
            </>
          )}
        </Show>
        <Show when={sending()}>
          <div class="basemap-admin__progress" role="status">
            <progress max="100" value={percent()} aria-label={t('basemap.uploading', { percent: percent() })} />
            <span>{t('basemap.uploading', { percent: percent() })}</span>
          </div>
        </Show>
      </section>

      <Show when={upload().kind === 'done'}>
        <p class="notice" role="status">
          {t('basemap.uploaded')}
        </p>
      </Show>
      <Show when={refusal(upload())}>
        {(refused) => (
          <div class="alert" role="alert">
            <p>
              {refused().reason === 'tooLarge'
                ? t('basemap.tooLarge', { size: size(refused().bytes), limit: size(basemapLimitBytes) })
                : t('basemap.notPmtiles', format)}
            </p>
          </div>
        )}
      </Show>
      <Show when={failure()}>{(error) => <ProblemAlert error={error()} />}</Show>
    </div>
  );
}

function refusal(upload: Upload): Extract<Upload, { kind: 'refused' }> | undefined {
  return upload.kind === 'refused' ? upload : undefined;
}

/** Name, size, area and zoom levels of a basemap, as a definition list. */
function Facts(props: { info: BasemapInfo; facts: BasemapFacts | null; size: (bytes: number) => string }): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  const degrees = (value: number) => i18n.formatNumber(Math.round(value * 1000) / 1000);
  return (
    <dl class="basemap-admin__facts">
      <dt>{t('basemap.name')}</dt>
      <dd data-fact="name">{props.facts?.name ?? t('basemap.unnamed')}</dd>
      <dt>{t('basemap.size')}</dt>
      <dd data-fact="size">{props.size(props.info.bytes)}</dd>
      <Show when={props.facts}>
        {(facts) => (
          <>
            <dt>{t('basemap.bounds')}</dt>
            <dd data-fact="bounds">
              {t('basemap.boundsValue', {
                west: degrees(facts().bounds.west),
                east: degrees(facts().bounds.east),
                south: degrees(facts().bounds.south),
                north: degrees(facts().bounds.north),
              })}
            </dd>
            <dt>{t('basemap.zooms')}</dt>
            <dd data-fact="zooms">{t('basemap.zoomsValue', { min: facts().minZoom, max: facts().maxZoom })}</dd>
          </>
        )}
      </Show>
    </dl>
  );
}
