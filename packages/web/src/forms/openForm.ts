import type {
  FormInstanceConfig,
  FormLanguage,
  InstanceData,
  LoadFormOptions,
  RootNode,
  UpdatedInstanceAttachmentMeta,
} from '@getodk/xforms-engine';
import { childrenOf, type FormNode } from './engineTypes.js';
import { solidStateFactory } from './solidStateFactory.js';

/** Where a form's definition and attachments come from (the server today, the local store later). */
export interface FormSource {
  readonly xml: string;
  /** The attachment named in a `jr://file/<name>` or `jr://file-csv/<name>` URL. */
  readonly attachment: (name: string) => Promise<Blob>;
}

/** A file that belongs to an instance (a photo), kept beside its XML in a draft. */
export interface InstanceAttachment {
  readonly name: string;
  readonly type: string;
  readonly bytes: ArrayBuffer;
}

/** An instance as text plus its files: what a draft stores and what a restore reads. */
export interface SerializedInstance {
  readonly xml: string;
  readonly attachments: readonly InstanceAttachment[];
}

export interface OpenFormOptions {
  /** Continue from a saved draft instead of starting a new instance. */
  readonly restore?: SerializedInstance;
  /**
   * Edit a stored submission (the engine's edit mode, as ODK Central's Web Forms edit): its
   * answers restored, a new `instanceID`, and `meta/deprecatedID` naming the one it replaces.
   */
  readonly edit?: SerializedInstance;
  /** Fills the form's `username` metadata. */
  readonly username?: string;
}

export interface OpenedForm {
  readonly root: RootNode;
  /** The form's `<h:title>`. */
  readonly title: string;
  /** The `instanceID` the engine generated (or the draft carried): the submission's id. */
  instanceId(): string;
  /** The instance label from `instanceName`, or '' when the form has none. */
  instanceName(): string;
  serialize(): Promise<SerializedInstance>;
  setLanguage(language: FormLanguage): void;
}

export class FormLoadError extends Error {
  override readonly name = 'FormLoadError';
}

const instanceFileName = 'xml_submission_file';

/**
 * Loads an XForm into the engine and creates a new instance or restores a draft. The engine is
 * imported here, on demand, so the sign-in screen never downloads it.
 */
export async function openForm(source: FormSource, options: OpenFormOptions = {}): Promise<OpenedForm> {
  const engine = await import('@getodk/xforms-engine');
  const loadOptions: LoadFormOptions = {
    fetchFormAttachment: async (url: URL) => {
      const name = decodeURIComponent(url.pathname.split('/').pop() ?? '');
      const blob = await source.attachment(name);
      // Bytes rather than the Blob itself: a Blob from another realm (jsdom in tests) is not a body.
      return new Response(await blob.arrayBuffer(), { status: 200, headers: { 'content-type': blob.type } });
    },
  };
  const form = await engine.loadForm(source.xml, loadOptions);
  if (form.status === 'failure') throw new FormLoadError(form.error.message, { cause: form.error });

  const config: FormInstanceConfig = {
    stateFactory: solidStateFactory,
    instanceAttachments: { fileNameFactory: attachmentFileName },
    ...(options.username === undefined ? {} : { preloadProperties: { username: options.username } }),
  };
  const instance =
    options.edit !== undefined
      ? await form.editInstance(
          { inputType: 'FORM_INSTANCE_INPUT_RESOLVED', data: [instanceData(options.edit)] },
          config,
        )
      : options.restore === undefined
        ? form.createInstance(config)
        : await form.restoreInstance({ data: [instanceData(options.restore)] }, config);
  const root = instance.root;
  const opened = options.edit?.attachments ?? options.restore?.attachments ?? [];

  return {
    root,
    title: formTitle(source.xml),
    instanceId: () => textAt(root, '/meta/instanceID'),
    instanceName: () => textAt(root, '/meta/instanceName'),
    async serialize() {
      const payload = await root.prepareInstancePayload();
      const [data] = payload.data;
      const attachments: InstanceAttachment[] = [];
      let xml = '';
      for (const [name, file] of data.entries()) {
        if (name === instanceFileName) xml = await file.text();
        else attachments.push({ name, type: file.type, bytes: await file.arrayBuffer() });
      }
      // The engine's payload leaves out the files an instance was restored or edited with; those
      // the answers still name are the instance's all the same (a draft reopened twice, a refused
      // form opened to fix, an edit keeping its photo).
      for (const file of opened) {
        if (!attachments.some((a) => a.name === file.name) && xml.includes(`>${file.name}<`)) attachments.push(file);
      }
      return { xml, attachments };
    },
    setLanguage(language) {
      root.setLanguage(language);
    },
  };
}

/**
 * The name a newly taken file gets in the instance. The engine would keep the picked file's own
 * name, and two photos may well share one (`image.jpg` from a camera, or the same gallery file
 * for two questions), while a submission's files are told apart by name. Like ODK Collect, the
 * time it was taken makes the name; the question and the original name keep it unique and legible.
 */
export function attachmentFileName(meta: UpdatedInstanceAttachmentMeta): string {
  const safe = (text: string, max: number) => text.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, max);
  const base = safe(meta.basename, 60) || 'file';
  const extension = meta.extension === null ? '' : `.${safe(meta.extension.slice(1), 10)}`;
  return `${base}-${meta.writtenAt.getTime()}-${safe(String(meta.nodeId), 20)}${extension}`;
}

function formTitle(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  return doc.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'title')[0]?.textContent?.trim() ?? '';
}

function instanceData(instance: SerializedInstance): InstanceData {
  const data = new FormData();
  data.set(instanceFileName, new File([instance.xml], instanceFileName, { type: 'text/xml' }));
  for (const file of instance.attachments) data.set(file.name, new File([file.bytes], file.name, { type: file.type }));
  // InstanceData is FormData narrowed to File entries, which is what was just built.
  return data as unknown as InstanceData;
}

/** The value of the first node whose reference ends with `suffix` (`/meta/instanceID`). */
function textAt(root: RootNode, suffix: string): string {
  const node = findNode(root, (n) => n.currentState.reference.endsWith(suffix));
  const value: unknown = node?.currentState.value;
  return typeof value === 'string' ? value : '';
}

/** Depth-first search of the live tree, repeat instances included. */
export function findNode(root: FormNode, match: (node: FormNode) => boolean): FormNode | undefined {
  if (match(root)) return root;
  for (const child of childrenOf(root)) {
    const found = findNode(child, match);
    if (found) return found;
  }
  return undefined;
}
