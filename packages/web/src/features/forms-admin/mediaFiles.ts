/** Where one media file stands: stored with the version, attached now, missing, or not the form's. */
export type MediaFileState = 'stored' | 'attached' | 'missing' | 'unexpected';

/**
 * Each file the form names with its state, then each chosen file the form does not name (those are
 * not sent). Names are compared as the server compares them (Unicode NFC).
 */
export function mediaRows(
  expected: readonly string[],
  stored: readonly string[],
  chosen: readonly File[],
): Array<{ name: string; state: MediaFileState }> {
  const chosenNames = new Set(chosen.map((f) => f.name.normalize('NFC')));
  const storedNames = new Set(stored);
  const named = new Set(expected);
  const rows: Array<{ name: string; state: MediaFileState }> = expected.map((name) => ({
    name,
    state: storedNames.has(name) ? 'stored' : chosenNames.has(name) ? 'attached' : 'missing',
  }));
  for (const name of chosenNames) if (!named.has(name)) rows.push({ name, state: 'unexpected' });
  return rows;
}

/** The chosen files worth sending: named by the form and not stored with the version yet. */
export function mediaToSend(expected: readonly string[], stored: readonly string[], chosen: readonly File[]): File[] {
  const wanted = new Set(expected.filter((name) => !stored.includes(name)));
  return chosen.filter((f) => wanted.has(f.name.normalize('NFC')));
}
