import { createSignal, type Accessor } from 'solid-js';

/** The changes an administration screen makes to the rows of its list, one at a time. */
export interface AdminAction {
  /** The key of the row being changed, while a change runs. */
  readonly busy: Accessor<string | undefined>;
  /** What the last change did, for the status line, in the app's language of the moment. */
  readonly notice: Accessor<string | undefined>;
  /** Why the last change failed (an ApiProblem, usually). */
  readonly failure: Accessor<unknown>;
  /** Runs `work` on the row `key`; then says `done`, if given, and reloads the list. A failure is kept to show. */
  run(key: string, work: () => Promise<unknown>, done?: Words): Promise<void>;
  /** Sets (or clears) the status line for a change made elsewhere on the screen. */
  announce(text: Words | undefined): void;
}

/**
 * A status line as a function that reads the catalogs (`() => t('users.created', …)`), so it is
 * said again in the new language when the user switches.
 */
export type Words = () => string;

export function createAdminAction(reload: () => Promise<void>): AdminAction {
  const [busy, setBusy] = createSignal<string | undefined>(undefined);
  const [words, setWords] = createSignal<Words | undefined>(undefined);
  const setNotice = (next: Words | undefined): void => {
    setWords(() => next);
  };
  const [failure, setFailure] = createSignal<unknown>(undefined);
  const run = async (key: string, work: () => Promise<unknown>, done?: Words): Promise<void> => {
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
  return { busy, notice: () => words()?.(), failure, run, announce: setNotice };
}
