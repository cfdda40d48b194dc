import { createContext, useContext } from 'solid-js';
import type { I18n } from '../i18n/createI18n.js';

/** What every question needs from the form around it. */
export interface FormUi {
  readonly i18n: I18n;
  /** Whether to show this question's problem yet: not before the user touched it, left its page or tried to finalize. */
  revealed(reference: string): boolean;
  reveal(reference: string): void;
  /** The server's word on this question after it refused the submission. */
  serverProblem(reference: string): string | undefined;
}

export const FormUiContext = createContext<FormUi>();

export function useFormUi(): FormUi {
  const ui = useContext(FormUiContext);
  if (!ui) throw new Error('useFormUi() outside <FormView>');
  return ui;
}
