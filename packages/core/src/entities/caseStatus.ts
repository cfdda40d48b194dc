/**
 * The status a case list shows, read from the entity's own properties so that every form which
 * saves a status moves the case (docs/entities.md): the property named `status`, else the one whose
 * name ends in `_status` (`case_status`, `request_status`, `incident_status`). Null when the
 * properties carry none, or a blank one: the case keeps the status it has.
 */
export function statusProperty(names: Iterable<string>): string | null {
  const all = [...names];
  if (all.includes('status')) return 'status';
  const suffixed = all.filter((n) => n.endsWith('_status') && n.length > '_status'.length).sort();
  return suffixed[0] ?? null;
}

/** The status these properties set, or null when they set none (see `statusProperty`). */
export function statusOf(properties: Readonly<Record<string, unknown>>): string | null {
  const name = statusProperty(Object.keys(properties));
  const value = name === null ? undefined : properties[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
