/** The primary instance: one element per node, repeat templates, literal defaults, and meta. */
import { isDynamicDefault } from './binds.js';
import { columnAttributes } from './columnAttributes.js';
import { repeatMeta } from './entities.js';
import { issue } from './issues.js';
import { EXTERNAL_INSTANCE_TYPES, type Ctx, type EmitState, type SurveyNode } from './model.js';
import { pathOf, resolveRefs, rowValue } from './references.js';
import { XmlElement } from './XmlElement.js';
import { xpathSyntaxError } from './xpathSyntax.js';

/** The element of a node and its children; a repeat with an entity block gets `<meta><entity>` last. */
export function instanceNodes(
  ctx: Ctx,
  node: SurveyNode,
  template: boolean,
  blocks: ReadonlyMap<SurveyNode, XmlElement> = new Map(),
): XmlElement {
  const el = new XmlElement(node.name);
  if (template) el.attr('jr:template', '');
  for (const [name, cell] of template ? [] : columnAttributes(ctx, node, 'instance'))
    el.attr(name, resolveRefs(ctx, node, cell.value.trim(), cell, node.row?.rowNumber ?? null));
  if (node.kind === 'question') {
    const dflt = node.generated ? undefined : rowValue(node, 'default');
    if (dflt !== undefined && !isDynamicDefault(dflt)) el.append(dflt);
  }
  for (const child of node.children) {
    if (ctx.root.flat && child.kind === 'group') {
      for (const grandchild of instanceNodes(ctx, child, false, blocks).children) el.append(grandchild);
    } else if (child.qtype && (EXTERNAL_INSTANCE_TYPES.has(child.qtype.name) || child.qtype.name === 'audit')) {
      continue;
    } else if (child.kind === 'repeat') {
      el.append(instanceNodes(ctx, child, true, blocks));
      el.append(instanceNodes(ctx, child, false, blocks));
    } else el.append(instanceNodes(ctx, child, false, blocks));
  }
  const entity = node.kind === 'repeat' ? blocks.get(node) : undefined;
  if (entity !== undefined) el.append(repeatMeta(entity));
  return el;
}

/** <meta>: instanceID, audit, instanceName and the entity, with their binds. */
export function metaElement(
  ctx: Ctx,
  state: EmitState,
  entity: XmlElement | undefined,
): { meta: XmlElement; instanceName: string | null } {
  const { settings, binds } = state;
  const rootPath = pathOf(ctx.root);
  const meta = new XmlElement('meta', {}, [new XmlElement('instanceID')]);
  if (state.hasAudit) meta.append(new XmlElement('audit'));
  binds.push(
    new XmlElement('bind', {
      nodeset: `${rootPath}/meta/instanceID`,
      readonly: 'true()',
      type: 'string',
      'jr:preload': 'uid',
    }),
  );
  let instanceName: string | null = null;
  if (settings.instanceName) {
    const { cell, sheet, row } = settings.instanceName;
    instanceName = resolveRefs(ctx, ctx.root, cell.value.trim(), cell, row, 'expression', sheet);
    const problem = ctx.issues.length === 0 ? xpathSyntaxError(instanceName) : null;
    if (problem)
      ctx.issues.push(issue('xlsform.bad-expression', sheet, row, cell, `this is not a valid expression: ${problem}`));
    meta.append(new XmlElement('instanceName'));
    binds.push(
      new XmlElement('bind', { nodeset: `${rootPath}/meta/instanceName`, type: 'string', calculate: instanceName }),
    );
  }
  if (entity !== undefined) meta.append(entity);
  return { meta, instanceName };
}
