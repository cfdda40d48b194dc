import { createSignal, type Accessor } from 'solid-js';

export interface Loadable<T> {
  /** The last list that loaded; kept while a reload runs so the table does not flicker away. */
  readonly value: Accessor<T | undefined>;
  readonly loading: Accessor<boolean>;
  /** Why the last load failed (an ApiProblem, usually); undefined after a good one. */
  readonly error: Accessor<unknown>;
  reload(): Promise<void>;
}

/** One list an administration screen shows, loaded now and again after every change the screen makes. */
export function createLoadable<T>(load: () => Promise<T>): Loadable<T> {
  const [value, setValue] = createSignal<T | undefined>(undefined);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(undefined);
  let generation = 0;
  const reload = async (): Promise<void> => {
    // Only the newest request may write: an older, slower answer must not overwrite a newer one.
    const mine = ++generation;
    setLoading(true);
    try {
      const next = await load();
      if (mine !== generation) return;
      setValue(() => next);
      setError(undefined);
    } catch (failure) {
      if (mine === generation) setError(() => failure);
    } finally {
      if (mine === generation) setLoading(false);
    }
  };
  void reload();
  return { value, loading, error, reload };
}
