import { useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { BasemapContext } from '../../maps/basemapContext.js';
import { projectBasemapUrl } from '../../maps/basemapSource.js';
import { createEffect, createMemo, createSignal, Match, on, Show, Switch, untrack, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { ApiProblem } from '../../transport/ApiProblem.js';
import { problemMessage } from '../../app/problemMessage.js';
import { useDrafts } from './useDrafts.js';
import { FormView, type FormNotice, type QuestionProblem } from '../../forms/FormView.jsx';
import { createFormFill } from './createFormFill.js';
import { useSync } from '../../device/SyncContext.js';
import { checkDuplicates, type DuplicateSuggestion } from './duplicateWarning.js';
import { DuplicateWarning } from './DuplicateWarning.jsx';

/**
 * `/projects/:projectId/forms/:formId/versions/:version?draft=<id>`: fill one form;
 * `?case=<id>` starts a follow-up form with that case already chosen.
 * `/projects/:projectId/forms/:formId/submissions/:instanceId/edit`: edit a stored submission
 * from the review screen, in the version it was filled in; finalizing sends the edit to the
 * server at once (review works on what the server holds) and returns to the review screen.
 */
export function FillFormScreen(): JSX.Element {
  const { api, i18n, session } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string; formId: string; version?: string; instanceId?: string }>();
  // An instanceID (`uuid:…`) is encoded in the path; decoding twice is harmless for one.
  const editing = (): string | undefined =>
    params.instanceId === undefined ? undefined : decodeURIComponent(params.instanceId);
  const [search, setSearch] = useSearchParams<{ draft?: string; case?: string }>();
  const navigate = useNavigate();
  // Signed in means the device store is open: finalize saves there and the sync engine sends it.
  const device = useSync();
  const drafts = useDrafts();
  const username = (): string | undefined => {
    const state = session.state();
    return state.kind === 'signed-in' ? state.user.username : undefined;
  };
  // One model per form version: the draft id written into the URL after the first save must not
  // reopen the form, so it is read untracked.
  const model = createMemo(() =>
    createFormFill(
      {
        api,
        drafts,
        ...(device === undefined || editing() !== undefined
          ? {}
          : { saveLocally: (form) => device.saveFinalized(form) }),
        // An edit is sent at once, its new photos through the device's upload queue.
        ...(device === undefined ? {} : { sendFiles: (...args) => device.sendFiles(...args) }),
      },
      {
        projectId: params.projectId,
        formId: params.formId,
        version: params.version ?? '',
        edit: untrack(() => {
          const instanceId = editing();
          return instanceId === undefined ? undefined : { instanceId };
        }),
        draftId: untrack(() => (typeof search.draft === 'string' ? search.draft : undefined)),
        entityId: untrack(() => (typeof search.case === 'string' ? search.case : undefined)),
        username: untrack(username),
      },
    ),
  );
  createEffect(on(model, (m) => void m.load()));

  const [busy, setBusy] = createSignal<'saving' | 'sending' | null>(null);
  const [notice, setNotice] = createSignal<FormNotice | null>(null);
  const [serverProblem, setServerProblem] = createSignal<QuestionProblem | null>(null);

  const reviewHref = (open?: string): string => {
    const query = new URLSearchParams({ form: params.formId, ...(open === undefined ? {} : { open }) });
    return `/projects/${encodeURIComponent(params.projectId)}/review?${query.toString()}`;
  };

  // A registration that looks like cases on the device: warned once, before it is saved.
  const [duplicates, setDuplicates] = createSignal<readonly DuplicateSuggestion[]>([]);
  let duplicatesChecked = false;
  const looksRegistered = async (): Promise<boolean> => {
    const opened = model().form();
    if (device === undefined || editing() !== undefined || duplicatesChecked || opened == null) return false;
    if (opened.root.validationState.violations.length > 0) return false;
    duplicatesChecked = true;
    const { xml } = await opened.serialize();
    const found = await checkDuplicates(
      { api, device },
      { projectId: params.projectId, formId: params.formId, version: params.version ?? '' },
      xml,
    ).catch(() => []);
    setDuplicates(found);
    return found.length > 0;
  };
  const openDuplicate = async (caseId: string): Promise<void> => {
    // The registration is not lost: it stays a draft to finish or delete later.
    await saveDraft();
    navigate(`/projects/${encodeURIComponent(params.projectId)}/cases/${encodeURIComponent(caseId)}`);
  };

  const rememberDraftInUrl = (id: string): void => {
    // So a reload (or the back button) reopens this draft rather than a blank form.
    if (search.draft !== id) setSearch({ draft: id }, { replace: true });
  };

  const saveDraft = async (): Promise<void> => {
    setBusy('saving');
    try {
      const draft = await model().saveDraft();
      rememberDraftInUrl(draft.id);
      setNotice({ tone: 'ok', text: t('form.draftSaved', { time: i18n.formatDateTime(draft.savedAt) }) });
    } catch (error) {
      setNotice({ tone: 'error', text: problemMessage(i18n, error).message });
    } finally {
      setBusy(null);
    }
  };

  const finalize = async (): Promise<void> => {
    setBusy('sending');
    setNotice(null);
    setServerProblem(null);
    try {
      if (await looksRegistered()) return;
      setDuplicates([]);
      const result = await model().finalize();
      switch (result.kind) {
        case 'sent':
          if (editing() !== undefined) {
            navigate(reviewHref(result.receipt.instanceId));
            return;
          }
          navigate(`/projects/${encodeURIComponent(params.projectId)}/cases?sent=1`);
          return;
        case 'saved':
          navigate(`/projects/${encodeURIComponent(params.projectId)}/cases?saved=1`);
          return;
        case 'invalid':
          setNotice({ tone: 'error', text: t('form.fixErrors', { count: result.count }) });
          return;
        case 'refused': {
          const opened = model().form();
          if (opened) rememberDraftInUrl(opened.instanceId());
          // The server's words on the question are English: other languages read the code's message.
          const message = problemMessage(i18n, result.problem);
          const detail = message.detail ?? message.message;
          if (result.reference !== undefined) setServerProblem({ reference: result.reference, message: detail });
          setNotice({ tone: 'error', text: t('form.refused'), detail });
          return;
        }
        case 'failed': {
          const opened = model().form();
          if (opened) rememberDraftInUrl(opened.instanceId());
          const message = problemMessage(i18n, result.problem);
          setNotice({ tone: 'error', text: t('form.notSent'), detail: message.message });
          return;
        }
      }
    } catch (error) {
      setNotice({ tone: 'error', text: problemMessage(i18n, error).message });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Switch
      fallback={
        <p class="status-message" role="status">
          {t('form.loading')}
        </p>
      }
    >
      <Match when={model().loadError()}>
        {(error) => (
          <div class="alert" role="alert">
            <p>{t('form.loadError')}</p>
            <p class="alert__detail">
              {error() instanceof Error && !(error() instanceof ApiProblem) && i18n.language() === 'en'
                ? (error() as Error).message
                : problemMessage(i18n, error()).message}
            </p>
            <a class="button" href={`/projects/${encodeURIComponent(params.projectId)}/forms`}>
              {t('form.backToForms')}
            </a>
          </div>
        )}
      </Match>
      <Match when={model().form()}>
        {(form) => (
          <BasemapContext.Provider value={projectBasemapUrl(params.projectId)}>
            <Show when={editing() !== undefined}>
              <div class="status-message" role="note">
                <p>{t('form.editing')}</p>
                <a class="button" href={reviewHref(editing())}>
                  {t('form.backToReview')}
                </a>
              </div>
            </Show>
            <Show when={duplicates().length > 0}>
              <DuplicateWarning
                i18n={i18n}
                suggestions={duplicates()}
                busy={busy() !== null}
                onOpen={(id) => void openDuplicate(id)}
                onSaveAnyway={() => void finalize()}
                onBack={() => {
                  // Answers may change: the check runs again on the next finalize.
                  duplicatesChecked = false;
                  setDuplicates([]);
                }}
              />
            </Show>
            <FormView
              form={form()}
              i18n={i18n}
              busy={busy()}
              notice={notice()}
              serverProblem={serverProblem()}
              onSaveDraft={() => void saveDraft()}
              onFinalize={() => void finalize()}
            />
          </BasemapContext.Provider>
        )}
      </Match>
    </Switch>
  );
}
