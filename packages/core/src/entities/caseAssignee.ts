/**
 * The user a case is assigned to, read from the entity's own properties like its status
 * (docs/entities.md): the property named `assignee`, else the one whose name ends in `_assignee`
 * (`request_assignee`). Its value is the username of a member of the project; the server turns it
 * into the case's assignee. Null when the properties carry none, or a blank one: the case keeps
 * the assignee it has.
 */
export function assigneeProperty(names: Iterable<string>): string | null {
  const all = [...names];
  if (all.includes('assignee')) return 'assignee';
  const suffixed = all.filter((n) => n.endsWith('_assignee') && n.length > '_assignee'.length).sort();
  return suffixed[0] ?? null;
}

/** The username these properties assign the case to, or null when they assign none. */
export function assigneeOf(properties: Readonly<Record<string, unknown>>): string | null {
  const name = assigneeProperty(Object.keys(properties));
  const value = name === null ? undefined : properties[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null;
}
