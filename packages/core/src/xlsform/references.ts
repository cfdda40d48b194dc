/** Paths in the instance and `${name}` references resolved to them, with expression checks at the cell. */
import { issue } from './issues.js';
import { REF, type Ctx, type SurveyNode } from './model.js';
import type { Cell } from './sheetTable.js';
import { xpathSyntaxError } from './xpathSyntax.js';

export function chain(node: SurveyNode): SurveyNode[] {
  const out: SurveyNode[] = [];
  for (let n: SurveyNode | null = node; n; n = n.parent) out.unshift(n);
  return out;
}

/** The retired pyxform `flat` setting keeps groups in the body but leaves them out of the instance. */
export function pathOf(node: SurveyNode): string {
  const nodes = chain(node);
  const flat = nodes[0]?.flat === true;
  return `/${nodes
    .filter((n) => !(flat && n.kind === 'group'))
    .map((n) => n.name)
    .join('/')}`;
}

export function ancestors(node: SurveyNode): SurveyNode[] {
  const nodes = chain(node);
  const flat = nodes[0]?.flat === true;
  return nodes.filter((n) => !(flat && n.kind === 'group' && n !== node));
}

export function repeatAncestor(node: SurveyNode): SurveyNode | null {
  for (let n: SurveyNode | null = node.parent; n; n = n.parent) if (n.kind === 'repeat') return n;
  return null;
}

/** A reference inside the same repeat instance is made relative (../x), as pyxform does, so it stays in that instance. */
export function referencePath(from: SurveyNode, target: SurveyNode): string {
  const fromChain = ancestors(from);
  const targetChain = ancestors(target);
  let common = 0;
  while (common < fromChain.length && common < targetChain.length && fromChain[common] === targetChain[common])
    common++;
  const shared = fromChain.slice(0, common);
  const inRepeat = shared.some((n) => n.kind === 'repeat');
  if (!inRepeat || from === target) return pathOf(target);
  const ups = fromChain.length - common;
  const downs = targetChain.slice(common).map((n) => n.name);
  return [...Array<string>(ups).fill('..'), ...downs].join('/');
}

export function resolveRefs(
  ctx: Ctx,
  from: SurveyNode,
  text: string,
  cell: Cell | null,
  row: number | null,
  mode: 'expression' | 'choice-filter' = 'expression',
  sheet = ctx.surveySheet,
): string {
  // A non-breaking space pasted into a formula is a space to the author but not to the engine.
  return text.replace(/\u00A0/g, ' ').replace(REF, (whole, rawName: string) => {
    const name = rawName.trim();
    const matches = ctx.byName.get(name) ?? [];
    const target = matches.filter((m) => m.kind !== 'root');
    if (target.length === 0 && name === 'instanceID') return ` ${pathOf(ctx.root)}/meta/instanceID `;
    if (target.length === 0 && name.startsWith('last-saved#')) {
      ctx.issues.push(
        issue(
          'xlsform.not-supported-yet',
          sheet,
          row,
          cell,
          `${whole} (the value from the last saved form) is not supported yet; leave it out or use a default`,
        ),
      );
      return whole;
    }
    if (target.length === 0) {
      ctx.issues.push(
        issue(
          'xlsform.unknown-reference',
          sheet,
          row,
          cell,
          `unknown reference ${whole}: no question is named "${name}"`,
        ),
      );
      return whole;
    }
    if (target.length > 1) {
      ctx.issues.push(
        issue(
          'xlsform.ambiguous-reference',
          sheet,
          row,
          cell,
          `the reference ${whole} is ambiguous: rows ${target.map((t) => t.row?.rowNumber).join(', ')} all use the name "${name}"`,
        ),
      );
      return whole;
    }
    const t = target[0] as SurveyNode;
    if (mode === 'choice-filter') {
      const rel = relativeFromParent(from, t);
      return ` ${rel} `;
    }
    return ` ${referencePath(from, t)} `;
  });
}

export function relativeFromParent(from: SurveyNode, target: SurveyNode): string {
  if (!repeatAncestor(from) && !repeatAncestor(target)) return pathOf(target);
  const path = referencePath(from, target);
  if (path.startsWith('/')) return path;
  return `current()/${path}`;
}

// ---------------------------------------------------------------- emit

export function rowCell(node: SurveyNode, key: string): Cell | undefined {
  if (node.generated && node.generated !== 'table-label' && node.generated !== 'table-header') return undefined;
  if (node.generated === 'table-header') return undefined;
  if (node.generated === 'table-label') return undefined;
  return node.row?.cells.get(key);
}

export function rowValue(node: SurveyNode, key: string): string | undefined {
  const v = rowCell(node, key)?.value.trim();
  return v === undefined || v === '' ? undefined : v;
}

export function checkExpression(ctx: Ctx, node: SurveyNode, key: string, expression: string): void {
  const problem = xpathSyntaxError(expression);
  if (problem)
    ctx.issues.push(
      issue(
        'xlsform.bad-expression',
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        rowCell(node, key) ?? null,
        `this is not a valid expression: ${problem}`,
      ),
    );
}

export function expression(ctx: Ctx, node: SurveyNode, key: string): string | undefined {
  const raw = rowValue(node, key);
  if (raw === undefined) return undefined;
  const before = ctx.issues.length;
  const resolved = resolveRefs(ctx, node, raw, rowCell(node, key) ?? null, node.row?.rowNumber ?? null);
  // An unresolved ${ref} is already reported; its leftover "$" would only add noise.
  if (ctx.issues.length === before) checkExpression(ctx, node, key, resolved);
  return resolved;
}

export function booleanish(ctx: Ctx, node: SurveyNode, key: string): string | undefined {
  const raw = rowValue(node, key);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (['yes', 'true', 'true()'].includes(lower)) return 'true()';
  if (['no', 'false', 'false()'].includes(lower)) return 'false()';
  return expression(ctx, node, key);
}
