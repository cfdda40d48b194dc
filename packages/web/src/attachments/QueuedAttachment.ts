import type { PreviousUpload } from 'tus-js-client';

/** Where a file goes: the name a submission (XForm instance) uses for it. */
export interface AttachmentTarget {
  readonly projectId: string;
  readonly instanceId: string;
  readonly name: string;
}

/**
 * The `value` of an `attachmentsQueue` row (the store keeps it opaque, keyed by SHA-256): the
 * bytes, every place they are attached, which of those the server has confirmed, and the tus
 * upload in progress.
 */
export interface QueuedAttachment {
  readonly kind: 'attachment';
  /**
   * The file as the queue's codec sealed it (a Blob with the plain codec); null once every target
   * is linked: the bytes are on the server and need not stay twice.
   */
  readonly blob: unknown;
  readonly contentType: string;
  readonly targets: readonly AttachmentTarget[];
  /** `instanceId\u0000name` of the targets the server has confirmed. */
  readonly linked: readonly string[];
  readonly upload: PreviousUpload | null;
  /** The last refusal that needs a person (conflict, hash mismatch); null while all is well. */
  readonly problem: { readonly code: string; readonly detail: string } | null;
}

export function isQueuedAttachment(value: unknown): value is QueuedAttachment {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'attachment';
}

export function targetKey(target: Pick<AttachmentTarget, 'instanceId' | 'name'>): string {
  return `${target.instanceId}\u0000${target.name}`;
}
