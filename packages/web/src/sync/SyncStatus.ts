/**
 * - `idle`: nothing running; see `error` and `lastSuccessAt` for how the last sync went;
 * - `syncing`: a sync is running (see `progress`);
 * - `waiting`: the last sync failed for a reason that may pass; the next try is at `nextAttemptAt`;
 * - `offline`: the device has no network; a sync starts when it comes back;
 * - `wiped`: the server ordered this device erased and it was.
 */
export type SyncPhase = 'idle' | 'syncing' | 'waiting' | 'offline' | 'wiped';

/** Why the last sync did not finish, in terms the status screen can show. */
export interface SyncProblem {
  /** A problem code: the server's (`auth.required` …), `network.unreachable`, `device.storage-full`, `sync.bad-response`. */
  readonly code: string;
  /** The HTTP status, 0 when there was no answer or the fault was on the device. */
  readonly status: number;
  readonly detail?: string;
  /** True when the engine will try again by itself. */
  readonly retryable: boolean;
  /** ISO 8601 */
  readonly at: string;
}

export interface SyncProgress {
  readonly stage: 'push' | 'attachments' | 'pull' | 'check';
  readonly recordsDone: number;
  /** Known so far: the outbox at the start plus what the server says is still to come. */
  readonly recordsTotal: number;
  readonly bytesDone: number;
  /** An estimate from the bytes per record measured so far; null before anything was measured. */
  readonly bytesTotal: number | null;
  /** Time left at the measured throughput; null until there is a measurement. */
  readonly etaMs: number | null;
}

export interface SyncStatus {
  readonly phase: SyncPhase;
  /** Saved items waiting to be sent (not counting rejected ones). */
  readonly pending: number;
  /** Items the server refused, kept with their reasons until the user deals with them. */
  readonly rejected: number;
  /** ISO 8601 of the last sync in which every step succeeded; null if there never was one. */
  readonly lastSuccessAt: string | null;
  readonly lastAttemptAt: string | null;
  /** Set when the last sync failed; cleared only by a sync in which every step succeeded. */
  readonly error: SyncProblem | null;
  /** ISO 8601 of the next automatic retry while `waiting`. */
  readonly nextAttemptAt: string | null;
  readonly progress: SyncProgress | null;
  /**
   * Set while the first pull waits because the user's caseload is larger than one device should
   * hold (R13): the user asks for a narrower area or continues anyway (`SyncEngine.continueLargeCaseload`).
   */
  readonly caseload?: CaseloadWarning | null;
}

/** What the user is told before a first sync that would bring more than the device is meant to hold. */
export interface CaseloadWarning {
  /** Records a first sync would bring. */
  readonly records: number;
  /** The most records one device is meant to hold. */
  readonly deviceLimit: number;
}

export type SyncOutcome = { readonly ok: true } | { readonly ok: false; readonly problem: SyncProblem };
