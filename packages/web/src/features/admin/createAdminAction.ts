import { createSignal, type Accessor } from 'solid-js';

/** The changes an administration screen makes to the rows of its list, one at a time. */
export interface AdminAction {
  /** The key of the row being changed, while a change runs. */
  readonly busy: Accessor<string | undefined>;
  /** What the last change did, for the status line. */
  readonly notice: Accessor<string | undefined>;
  /** Why the last change failed (an ApiProblem, usually). */
  readonly failure: Accessor<unknown>;
  /** Runs `work` on the row `key`; then says `done`, if given, and reloads the list. A failure is kept to show. */
  run(key: string, work: () => Promise<unknown>, done?: string): Promise<void>;
  /** Sets (or clears) the status line for a change made elsewhere on the screen. */
  announce(text: string | undefined): void;
}

export function createAdminAction(reload: () => Promise<void>): AdminAction {
  const [busy, setBusy] = createSignal<string | undefined>(undefined);
  const [notice, setNotice] = createSignal<string | undefined>(undefined);
  const [failure, setFailure] = createSignal<unknown>(undefined);
  const run = async (key: string, work: () => Promise<unknown>, done?: string): Promise<void> => {
    setBusy(key);
    setFailure(undefined);
    setNotice(undefined);
    try {
      await work();
      if (done !== undefined) setNotice(done);
      await reload();
    } catch (error) {
      setFailure(() => error);
    } finally {
      setBusy(undefined);
    }
  };
  return { busy, notice, failure, run, announce: setNotice };
}
