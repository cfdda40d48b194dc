import { createContext, useContext } from 'solid-js';

/** The basemap of the project a screen works in, for maps deep inside it (a form's geo questions). */
export const BasemapContext = createContext<string | undefined>(undefined);

export function useBasemapUrl(): string | undefined {
  return useContext(BasemapContext);
}
