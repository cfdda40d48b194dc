import type { OpaqueReactiveObjectFactory } from '@getodk/xforms-engine';
import { createSignal } from 'solid-js';

/**
 * The engine copies each piece of node state into the object this returns and reassigns a
 * property whenever that state changes. One signal per property makes every read in a component
 * tracked, so only the questions whose state changed re-render.
 *
 * Shallow on purpose: a deep store (createMutable) would wrap the engine's own node objects held in
 * `children` in proxies, and the engine always replaces arrays rather than mutating them.
 */
export const solidStateFactory: OpaqueReactiveObjectFactory = <T extends object>(initial: T): T => {
  const state = Object.create(null) as T;
  for (const key of Object.keys(initial) as (keyof T & string)[]) {
    const [read, write] = createSignal<T[typeof key]>(initial[key], { equals: false });
    Object.defineProperty(state, key, {
      enumerable: true,
      get: read,
      // The function form, so a stored value that is itself a function is not called by Solid.
      set: (value: T[typeof key]) => write(() => value),
    });
  }
  return state;
};
