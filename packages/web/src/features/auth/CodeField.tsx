import { onMount, type JSX } from 'solid-js';

/** The 6-digit authenticator code: numeric keypad on tablets, and the OS may offer the code itself. */
export function CodeField(props: { label: string; focus?: boolean }): JSX.Element {
  let input: HTMLInputElement | undefined;
  // The `autofocus` attribute only acts on page load; this field appears after "Sign in".
  onMount(() => {
    if (props.focus === true) input?.focus();
  });
  return (
    <label class="field">
      <span class="field__label">{props.label}</span>
      <input
        ref={input}
        class="code-input"
        name="code"
        type="text"
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9 ]*"
        maxlength="7"
        required
      />
    </label>
  );
}
