/**
 * `bind::x`, `body::x` and `instance::x` columns become XML attributes as they are written. A name
 * that is not an XML name, or whose prefix no namespace declares, is refused at its column rather
 * than emitted as XML no engine can read.
 */
import { issue } from './issues.js';
import { XML_NAME, type Ctx, type SurveyNode } from './model.js';
import { NO_APP_ERROR_STRING, type Cell } from './sheetTable.js';

export function columnAttributes(
  ctx: Ctx,
  node: SurveyNode,
  kind: 'bind' | 'body' | 'instance',
): Array<[string, Cell]> {
  const out: Array<[string, Cell]> = [];
  if (node.generated) return out;
  for (const [key, cell] of node.row?.cells ?? []) {
    if (!key.startsWith(`${kind}:`)) continue;
    if (key === NO_APP_ERROR_STRING || key.startsWith(`${NO_APP_ERROR_STRING}::`)) continue;
    const name = key.slice(kind.length + 1);
    const problem = attributeNameProblem(ctx, name);
    if (!problem) {
      out.push([name, cell]);
      continue;
    }
    const found = issue('xlsform.bad-attribute-column', ctx.surveySheet, node.row?.rowNumber ?? null, cell, problem);
    if (!ctx.issues.some((i) => i.message === found.message)) ctx.issues.push(found);
  }
  return out;
}

function attributeNameProblem(ctx: Ctx, name: string): string | null {
  const parts = name.split(':');
  if (parts.length > 2 || !parts.every((p) => XML_NAME.test(p)) || parts[0]?.toLowerCase() === 'xmlns')
    return `"${name}" is not an XML attribute name, so this column cannot be written into the form`;
  const prefix = parts.length === 2 ? (parts[0] as string) : null;
  if (prefix !== null && prefix !== 'xml' && !ctx.namespaces.has(prefix))
    return `the prefix "${prefix}" of "${name}" is not a declared namespace: declare it in the settings sheet's namespaces column, e.g. ${prefix}="http://example.org/${prefix}"`;
  return null;
}
