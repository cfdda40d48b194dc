import type { RecordRow } from './LocalStore.js';
import type { OutboxItem } from './saveRecord.js';

/**
 * A run of offline edits of one record on this device (ODK offline entities): the edits share
 * one `id`; `trunkVersion` is the server version the run started from (null for a record created
 * here); `version` is the version the last edit of the run produces on the server.
 */
export interface OfflineBranch {
  readonly id: string;
  readonly trunkVersion: number | null;
  readonly version: number;
}

/**
 * The branch a new edit of `row` continues, or null when a new run starts: the run ends once the
 * server's pulled version includes its edits (its version reaches the run's last one).
 */
export function liveBranch(row: RecordRow | undefined): OfflineBranch | null {
  const branch = row?.branch ?? null;
  if (row === undefined || branch === null) return null;
  return row.version < branch.version ? branch : null;
}

/**
 * The submission as the server gets it and the branch the record is on afterwards. An update
 * carries, in its `<entity>` element, `baseVersion` (the version the edit was made on: the
 * server's, or the one the previous offline edit produces), `trunkVersion` (the server version
 * the run started from) and `branchId`, as ODK Collect sends them; whatever the form computed for
 * them is replaced. A create starts a branch at version 1. An update of a record this device does
 * not hold is left as the form made it.
 */
export function branchEdit(
  item: OutboxItem,
  row: RecordRow | undefined,
  newId: () => string,
): { item: OutboxItem; branch: OfflineBranch | null } {
  const tag = entityTag(item.xml);
  if (tag === null) return { item, branch: row?.branch ?? null };
  const update = truthy(attributeOf(tag.text, 'update'));
  const create = truthy(attributeOf(tag.text, 'create'));
  const live = liveBranch(row);
  if (!update || (create && row === undefined)) {
    return create ? { item, branch: { id: newId(), trunkVersion: null, version: 1 } } : { item, branch: live };
  }
  const serverVersion = row?.version ?? 0;
  const branch: OfflineBranch | null =
    live ?? (serverVersion > 0 ? { id: newId(), trunkVersion: serverVersion, version: serverVersion } : null);
  if (branch === null) return { item, branch: null };
  let text = tag.text;
  text = withAttribute(text, 'baseVersion', String(branch.version));
  text = withAttribute(text, 'trunkVersion', branch.trunkVersion === null ? '' : String(branch.trunkVersion));
  text = withAttribute(text, 'branchId', branch.id);
  const xml = item.xml.slice(0, tag.start) + text + item.xml.slice(tag.start + tag.text.length);
  return { item: { ...item, xml }, branch: { ...branch, version: branch.version + 1 } };
}

/**
 * The record's branch once the user discards an edit the server refused (`xml` as it was sent):
 * when the edit was the run's last step, the run continues from the step before it, so the next
 * edit names a base the server can find; when later steps were built on it, they can never apply
 * in order, so the run ends and the next edit starts a new one from the server's version.
 */
export function branchAfterDiscard(row: RecordRow, xml: string): OfflineBranch | null {
  const live = liveBranch(row);
  const tag = entityTag(xml);
  if (live === null || tag === null || attributeOf(tag.text, 'branchId') !== live.id) return row.branch ?? null;
  const base = Number(attributeOf(tag.text, 'baseVersion'));
  if (!Number.isInteger(base)) return row.branch ?? null;
  return base + 1 === live.version ? { ...live, version: base } : null;
}

const truthy = (value: string | null): boolean => value === '1' || value === 'true' || value === 'true()';

/** The start tag of the instance's `<meta><entity>`, where the entities spec puts it. */
function entityTag(xml: string): { start: number; text: string } | null {
  const meta = /<(?:[\w.-]+:)?meta[\s>]/.exec(xml);
  if (meta === null) return null;
  const entity = /<(?:[\w.-]+:)?entity(?=[\s/>])(?:"[^"]*"|'[^']*'|[^'">])*>/.exec(xml.slice(meta.index));
  if (entity === null) return null;
  return { start: meta.index + entity.index, text: entity[0] };
}

function attributeOf(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return match === null ? null : (match[2] ?? match[3] ?? '');
}

function withAttribute(tag: string, name: string, value: string): string {
  const pattern = new RegExp(`(\\s${name}\\s*=\\s*)("[^"]*"|'[^']*')`);
  if (pattern.test(tag)) return tag.replace(pattern, (_, lead: string) => `${lead}"${value}"`);
  const end = tag.endsWith('/>') ? tag.length - 2 : tag.length - 1;
  return `${tag.slice(0, end)} ${name}="${value}"${tag.slice(end)}`;
}
