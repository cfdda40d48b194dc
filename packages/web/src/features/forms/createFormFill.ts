import { createSignal, type Accessor } from 'solid-js';
import { ApiProblem } from '../../transport/ApiProblem.js';
import type { OutpostApi, SubmissionReceipt } from '../../api/OutpostApi.js';
import type { SubmissionFile } from '../../api/ReviewApi.js';
import type { Draft, DraftStore } from '../../forms/drafts.js';
import type { FormNode } from '../../forms/engineTypes.js';
import { entityUpdateOf, startFromEntity } from '../../forms/entityUpdate.js';
import { findNode, openForm, type InstanceAttachment, type OpenedForm } from '../../forms/openForm.js';
import type { FinalizedForm } from '../../device/createDeviceSync.js';

export interface FormFillTarget {
  readonly projectId: string;
  readonly formId: string;
  readonly version: string;
  /** Continue this draft instead of starting a new instance. */
  readonly draftId?: string | undefined;
  readonly username?: string | undefined;
  /**
   * The case a follow-up form is started from: a new instance opens with the question choosing
   * the entity (the one `meta/entity/@id` is calculated from) already answered with it.
   */
  readonly entityId?: string | undefined;
  /**
   * Edit this stored submission (review and cleaning): its current version opens with its
   * answers, in the form version it was filled in, and finalizing sends a new instance whose
   * `meta/deprecatedID` names it. `version` is then read from the submission.
   */
  readonly edit?: { readonly instanceId: string } | undefined;
}

export type FinalizeResult =
  | { readonly kind: 'sent'; readonly receipt: SubmissionReceipt }
  /** Kept on the device with its outbox entry; the sync engine sends it when it can. */
  | { readonly kind: 'saved'; readonly seq: number }
  /** The engine still finds problems; the view shows them at their questions. */
  | { readonly kind: 'invalid'; readonly count: number }
  /** The server refused it; `reference` is the question it named, when it named one we have. */
  | { readonly kind: 'refused'; readonly problem: ApiProblem; readonly reference: string | undefined }
  /** Not sent (offline, server down): kept as a draft. */
  | { readonly kind: 'failed'; readonly problem: unknown };

export interface FormFillModel {
  readonly form: Accessor<OpenedForm | null>;
  readonly loadError: Accessor<unknown>;
  readonly draftSavedAt: Accessor<string | null>;
  load(): Promise<void>;
  saveDraft(): Promise<Draft>;
  finalize(): Promise<FinalizeResult>;
}

export interface FormFillDeps {
  readonly api: OutpostApi;
  readonly drafts: DraftStore;
  readonly now?: () => Date;
  /**
   * Offline-first finalize: when given, the instance is saved on the device (record + outbox in
   * one transaction, photos queued) instead of being posted, so finalizing works without a network.
   */
  readonly saveLocally?: (form: FinalizedForm) => Promise<{ readonly seq: number }>;
  /**
   * Sends files of an instance now (an edit is sent at once): the device's upload queue. An edit
   * sends only the files it did not open with; the server keeps those it still names (as ODK
   * Central carries an edit's attachments forward).
   */
  readonly sendFiles?: (projectId: string, instanceId: string, files: readonly InstanceAttachment[]) => Promise<void>;
}

/**
 * One form being filled: opens it (new, or from a draft), saves drafts, and finalizes by sending
 * the instance. Whatever happens on finalize, the answers are never only in memory: a refused or
 * unsent form stays a draft.
 */
export function createFormFill(deps: FormFillDeps, target: FormFillTarget): FormFillModel {
  const now = deps.now ?? (() => new Date());
  const [form, setForm] = createSignal<OpenedForm | null>(null);
  const [loadError, setLoadError] = createSignal<unknown>(null);
  const [draftSavedAt, setDraftSavedAt] = createSignal<string | null>(null);
  let xform: string | undefined;
  let version = target.version;
  /** The files the edited submission already has on the server, by name → SHA-256. */
  let storedFiles = new Map<string, string>();

  const requireForm = (): OpenedForm => {
    const opened = form();
    if (!opened) throw new Error('the form is not open yet');
    return opened;
  };

  async function saveDraft(): Promise<Draft> {
    const opened = requireForm();
    const instance = await opened.serialize();
    const draft: Draft = {
      id: opened.instanceId(),
      projectId: target.projectId,
      formId: target.formId,
      version,
      formTitle: opened.title,
      label: opened
        .instanceName()
        .trim()
        .replace(/^\.\s*$/, ''),
      savedAt: now().toISOString(),
      xml: instance.xml,
      attachments: instance.attachments,
    };
    await deps.drafts.save(draft);
    setDraftSavedAt(draft.savedAt);
    return draft;
  }

  return {
    form,
    loadError,
    draftSavedAt,
    async load() {
      setLoadError(null);
      try {
        const draft = target.draftId === undefined ? undefined : await deps.drafts.get(target.draftId);
        const stored =
          draft === undefined && target.edit !== undefined
            ? await deps.api.getSubmissionForEdit(target.projectId, target.formId, target.edit.instanceId)
            : undefined;
        const files =
          stored === undefined ? [] : await storedAttachments(deps.api, target.projectId, stored.attachments);
        storedFiles = new Map((stored?.attachments ?? []).map((file) => [file.name, file.sha256]));
        if (stored !== undefined) version = stored.version;
        else if (draft !== undefined && draft.version !== '') version = draft.version;
        const xml = await deps.api.getFormXml(target.projectId, target.formId, version);
        xform = xml;
        const opened = await openForm(
          {
            xml,
            attachment: (name) => deps.api.getFormAttachment(target.projectId, target.formId, version, name),
          },
          {
            ...(draft ? { restore: { xml: draft.xml, attachments: draft.attachments } } : {}),
            ...(stored ? { edit: { xml: stored.xml, attachments: files } } : {}),
            ...(target.username === undefined ? {} : { username: target.username }),
          },
        );
        if (draft) setDraftSavedAt(draft.savedAt);
        else if (stored === undefined && target.entityId !== undefined) {
          const update = entityUpdateOf(xml);
          if (update !== null) startFromEntity(opened, update, target.entityId);
        }
        setForm(opened);
      } catch (error) {
        setLoadError(error);
      }
    },
    saveDraft,
    async finalize() {
      const opened = requireForm();
      const violations = opened.root.validationState.violations;
      if (violations.length > 0) return { kind: 'invalid', count: violations.length };
      const instance = await opened.serialize();
      if (deps.saveLocally) {
        let saved: { readonly seq: number };
        try {
          saved = await deps.saveLocally({
            projectId: target.projectId,
            formId: target.formId,
            version,
            instanceId: opened.instanceId(),
            xml: instance.xml,
            attachments: instance.attachments,
            ...(xform === undefined ? {} : { xform }),
          });
        } catch (problem) {
          // Storage full or blocked: the answers must not live only in memory.
          await saveDraft();
          return { kind: 'failed', problem };
        }
        await deps.drafts.remove(opened.instanceId());
        return { kind: 'saved', seq: saved.seq };
      }
      try {
        // The files the edit opened with stay on the server; new ones (a replaced photo) go first.
        const fresh = instance.attachments.filter((file) => !storedFiles.has(file.name));
        if (fresh.length > 0) {
          if (deps.sendFiles === undefined) throw new Error('files cannot be sent from here');
          await deps.sendFiles(target.projectId, opened.instanceId(), fresh);
        }
        const receipt = await deps.api.submit(target.projectId, instance.xml);
        await deps.drafts.remove(opened.instanceId());
        return { kind: 'sent', receipt };
      } catch (problem) {
        await saveDraft();
        if (problem instanceof ApiProblem && problem.status >= 400 && problem.status < 500 && problem.status !== 401) {
          return { kind: 'refused', problem, reference: referenceOf(opened, problem.field) };
        }
        return { kind: 'failed', problem };
      }
    },
  };
}

/** The stored submission's files, fetched to open in the form (its photos shown and kept). */
async function storedAttachments(
  api: OutpostApi,
  projectId: string,
  files: readonly SubmissionFile[] | undefined,
): Promise<InstanceAttachment[]> {
  return Promise.all(
    (files ?? []).map(async (file) => {
      const blob = await api.getSubmissionFile(projectId, file.sha256);
      return { name: file.name, type: file.contentType, bytes: await blob.arrayBuffer() };
    }),
  );
}

/**
 * The question a server problem names: its full reference (`/data/head/head_register_number`,
 * with or without repeat positions) or just its name (`head_register_number`).
 */
export function referenceOf(form: OpenedForm, field: string | undefined): string | undefined {
  if (field === undefined || field === '') return undefined;
  const bare = (reference: string): string => reference.replace(/\[\d+\]/g, '');
  const wanted = field.startsWith('/') ? field : `/${field}`;
  const match = (node: FormNode): boolean => {
    const reference = node.currentState.reference;
    return (
      node.nodeType !== 'root' &&
      (reference === wanted ||
        bare(reference) === bare(wanted) ||
        (!field.startsWith('/') && bare(reference).endsWith(wanted)))
    );
  };
  return findNode(form.root, match)?.currentState.reference;
}
