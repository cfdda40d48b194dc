import type { FormDefinition, SurveyRow } from '../xlsform/formDefinition.js';

/** Answers by question name; a repeat's name holds one answer set per repeat instance. */
export interface Answers {
  [name: string]: string | Answers[] | undefined;
}

/** The `meta/entity` block of an instance: the case it creates or the version it updates. */
export type InstanceEntity =
  | { dataset: string; id: string; create: true; label: string }
  | { dataset: string; id: string; update: true; baseVersion: number };

export interface InstanceMeta {
  instanceId: string;
  entity?: InstanceEntity;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STRUCTURE = new Set(['begin_group', 'end_group', 'begin_repeat', 'end_repeat', 'begin group', 'end group']);

interface Block {
  row: SurveyRow | null;
  children: Array<Block | SurveyRow>;
}

/** The survey rows as a tree of groups and repeats, as pyxform nests their elements. */
function tree(rows: readonly SurveyRow[]): Block {
  const root: Block = { row: null, children: [] };
  const stack: Block[] = [root];
  for (const row of rows) {
    const top = stack[stack.length - 1] ?? root;
    if (row.type === 'begin_group' || row.type === 'begin_repeat') {
      const block: Block = { row, children: [] };
      top.children.push(block);
      stack.push(block);
    } else if (row.type === 'end_group' || row.type === 'end_repeat') {
      stack.pop();
    } else if (row.name !== undefined && !STRUCTURE.has(row.type)) {
      top.children.push(row);
    }
  }
  return root;
}

function render(children: Array<Block | SurveyRow>, answers: Answers): string {
  let out = '';
  for (const child of children) {
    if ('children' in child) {
      const name = child.row?.name ?? '';
      if (child.row?.type === 'begin_repeat') {
        const items = answers[name];
        if (!Array.isArray(items)) continue;
        for (const item of items) out += `<${name}>${render(child.children, item)}</${name}>`;
      } else {
        const inner = render(child.children, answers);
        if (inner !== '') out += `<${name}>${inner}</${name}>`;
      }
      continue;
    }
    const name = child.name ?? '';
    const value = answers[name];
    // A question left out is one the device did not send: the case keeps what it holds.
    if (typeof value === 'string') out += `<${name}>${escapeXml(value)}</${name}>`;
  }
  return out;
}

function entityXml(entity: InstanceEntity): string {
  const head = `dataset="${escapeXml(entity.dataset)}" id="${entity.id}"`;
  if ('create' in entity) return `<entity ${head} create="1"><label>${escapeXml(entity.label)}</label></entity>`;
  return `<entity ${head} update="1" baseVersion="${entity.baseVersion}"/>`;
}

/**
 * A filled instance of a template form, as a device sends it: the survey's questions in the
 * form's nesting (groups, repeats), only those answered, then `meta` with the instance id and the
 * entity block. Built from the form definition, so it follows the form when the form changes.
 */
export function instanceXml(form: FormDefinition, answers: Answers, meta: InstanceMeta): string {
  const body = render(tree(form.survey).children, answers);
  const entity = meta.entity === undefined ? '' : entityXml(meta.entity);
  return (
    `<data xmlns:jr="http://openrosa.org/javarosa" id="${form.formId}" version="${form.version}">` +
    `${body}<meta><instanceID>${meta.instanceId}</instanceID>${entity}</meta></data>`
  );
}
