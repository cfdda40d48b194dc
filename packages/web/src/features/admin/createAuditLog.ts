import { createSignal, type Accessor } from 'solid-js';
import type { AuditChainVerdict, AuditEvent, OutpostApi } from '../../api/OutpostApi.js';

export interface AuditLog {
  /** The entries of the current page, newest first. */
  readonly items: Accessor<readonly AuditEvent[]>;
  readonly loading: Accessor<boolean>;
  readonly error: Accessor<unknown>;
  /** Whether newer entries than this page exist (this is not the first page). */
  readonly hasNewer: Accessor<boolean>;
  readonly hasOlder: Accessor<boolean>;
  /** The action or family of actions shown (`auth.`), or '' for all. */
  readonly filter: Accessor<string>;
  /** The outcome of the last "verify chain", or undefined before the first. */
  readonly verdict: Accessor<AuditChainVerdict | undefined>;
  readonly verifying: Accessor<boolean>;
  readonly verifyError: Accessor<unknown>;
  /** Loads the newest page. */
  start(): Promise<void>;
  older(): Promise<void>;
  newer(): Promise<void>;
  /** Back to the page with the newest entries. */
  newest(): Promise<void>;
  /** Shows only one action or family of actions, from the newest. */
  setFilter(action: string): Promise<void>;
  /** Reloads the current page (e.g. after an action added entries). */
  reload(): Promise<void>;
  verify(): Promise<void>;
}

/** The log opens at its newest entry and pages back in time; a filter narrows it to one kind of action. */
export function createAuditLog(api: OutpostApi, pageSize = 50): AuditLog {
  const [items, setItems] = createSignal<readonly AuditEvent[]>([]);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(undefined);
  const [hasOlder, setHasOlder] = createSignal(false);
  const [filter, setFilterSignal] = createSignal('');
  // The `before` of every page from the newest to the current one (undefined: from the top).
  const [cursors, setCursors] = createSignal<readonly (number | undefined)[]>([undefined]);
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

  /** One more than a page, to know whether an older page follows. */
  const show = async (stack: readonly (number | undefined)[]): Promise<void> => {
    const before = stack.at(-1);
    const action = filter();
    const page = await api.listAuditEvents({
      limit: pageSize + 1,
      ...(before === undefined ? {} : { before }),
      ...(action === '' ? {} : { action }),
    });
    setItems(page.slice(0, pageSize));
    setHasOlder(page.length > pageSize);
    setCursors(stack);
  };

  return {
    items,
    loading,
    error,
    hasNewer: () => cursors().length > 1,
    hasOlder,
    filter,
    verdict,
    verifying,
    verifyError,
    start: () => run(() => show([undefined])),
    newest: () => run(() => show([undefined])),
    reload: () => run(() => show(cursors())),
    setFilter: (action) => {
      setFilterSignal(action);
      return run(() => show([undefined]));
    },
    older: () =>
      run(async () => {
        const last = items().at(-1);
        if (last === undefined || !hasOlder()) return;
        await show([...cursors(), last.seq]);
      }),
    newer: () =>
      run(async () => {
        if (cursors().length <= 1) return;
        await show(cursors().slice(0, -1));
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
