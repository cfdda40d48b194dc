import { createSignal, type Accessor } from 'solid-js';
import type { AuditChainVerdict, AuditEvent, OutpostApi } from '../../api/OutpostApi.js';

export interface AuditLog {
  /** The entries of the current page, oldest first. */
  readonly items: Accessor<readonly AuditEvent[]>;
  readonly loading: Accessor<boolean>;
  readonly error: Accessor<unknown>;
  readonly hasPrevious: Accessor<boolean>;
  readonly hasNext: Accessor<boolean>;
  /** The outcome of the last "verify chain", or undefined before the first. */
  readonly verdict: Accessor<AuditChainVerdict | undefined>;
  readonly verifying: Accessor<boolean>;
  readonly verifyError: Accessor<unknown>;
  /** Loads the first page. */
  start(): Promise<void>;
  next(): Promise<void>;
  previous(): Promise<void>;
  /** The page with the newest entries. */
  newest(): Promise<void>;
  /** Reloads the current page (e.g. after an action added entries). */
  reload(): Promise<void>;
  verify(): Promise<void>;
}

// The server pages forward only (`after` a sequence number): "newest" walks in its largest pages.
const walkLimit = 500;

export function createAuditLog(api: OutpostApi, pageSize = 50): AuditLog {
  const [items, setItems] = createSignal<readonly AuditEvent[]>([]);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(undefined);
  const [hasNext, setHasNext] = createSignal(false);
  // The `after` of every page from the first to the current one, so "previous" needs no backward API.
  const [cursors, setCursors] = createSignal<readonly number[]>([0]);
  const [verdict, setVerdict] = createSignal<AuditChainVerdict | undefined>(undefined);
  const [verifying, setVerifying] = createSignal(false);
  const [verifyError, setVerifyError] = createSignal<unknown>(undefined);

  const run = async (work: () => Promise<void>): Promise<void> => {
    setLoading(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(() => failure);
    } finally {
      setLoading(false);
    }
  };

  /** One more than a page, to know whether another page follows. */
  const show = async (stack: readonly number[]): Promise<void> => {
    const after = stack.at(-1) ?? 0;
    const page = await api.listAuditEvents({ after, limit: pageSize + 1 });
    setItems(page.slice(0, pageSize));
    setHasNext(page.length > pageSize);
    setCursors(stack);
  };

  return {
    items,
    loading,
    error,
    hasPrevious: () => cursors().length > 1,
    hasNext,
    verdict,
    verifying,
    verifyError,
    start: () => run(() => show([0])),
    reload: () => run(() => show(cursors())),
    next: () =>
      run(async () => {
        const last = items().at(-1);
        if (last === undefined || !hasNext()) return;
        await show([...cursors(), last.seq]);
      }),
    previous: () =>
      run(async () => {
        if (cursors().length <= 1) return;
        await show(cursors().slice(0, -1));
      }),
    newest: () =>
      run(async () => {
        let after = 0;
        let lastSeq = 0;
        for (;;) {
          const batch = await api.listAuditEvents({ after, limit: walkLimit });
          lastSeq = batch.at(-1)?.seq ?? lastSeq;
          if (batch.length < walkLimit) break;
          after = lastSeq;
        }
        // Pages stay aligned to the first one, so "previous" from here lands where "next" would have.
        const stack: number[] = [0];
        while ((stack.at(-1) ?? 0) + pageSize < lastSeq) stack.push((stack.at(-1) ?? 0) + pageSize);
        await show(stack);
      }),
    async verify() {
      setVerifying(true);
      setVerifyError(undefined);
      try {
        setVerdict(await api.verifyAuditChain());
      } catch (failure) {
        setVerdict(undefined);
        setVerifyError(() => failure);
      } finally {
        setVerifying(false);
      }
    },
  };
}
