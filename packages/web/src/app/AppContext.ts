import { createContext, useContext, type Resource } from 'solid-js';
import type { OutpostApi, ProjectSummary } from '../api/OutpostApi.js';
import type { I18n } from '../i18n/createI18n.js';
import type { SessionModel } from '../session/createSession.js';
import type { Transport } from '../transport/createTransport.js';

/** What every screen may use; main.tsx builds the real one, a test may build one over createMemoryApi. */
export interface AppServices {
  readonly api: OutpostApi;
  readonly i18n: I18n;
  readonly session: SessionModel;
  /** Credentials and problem decoding for every request: REST, sync and uploads. */
  readonly transport: Transport;
}

/** Per signed-in user: loaded once, shared by the header and the project picker. */
export interface ShellState {
  readonly projects: Resource<readonly ProjectSummary[]>;
}

export const AppContext = createContext<AppServices>();
export const ShellContext = createContext<ShellState>();

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp() outside <AppContext.Provider>');
  return services;
}

export function useShell(): ShellState {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell() outside <ShellContext.Provider>');
  return shell;
}
