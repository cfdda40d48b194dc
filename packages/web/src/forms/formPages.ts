import type { RootNode } from '@getodk/xforms-engine';
import { childrenOf, type FormChildNode, type FormNode } from './engineTypes.js';

/** One screen of the form. */
export interface FormPage {
  readonly key: string;
  readonly nodes: readonly FormChildNode[];
  /** The group or repeat label; null for a page of questions outside any group. */
  heading(): string | null;
  /** false while every question on it is hidden by relevance: the page is skipped. */
  relevant(): boolean;
  /** Whether the question at `reference` (e.g. `/data/members[2]/member_dob`) is on this page. */
  contains(reference: string): boolean;
}

/**
 * Splits a form into pages: each top-level group or repeat is one page, and questions between
 * groups share a page. On a tablet a section of 5–10 questions fits the screen and keeps related
 * answers (a person's name, register number, birth date and sex) in view together, which matters
 * for cross-checks like the register number; one question per page would mean dozens of taps, and
 * one long scroll loses the user's place. A `field-list` group is one page by definition, so this
 * rule honours it; nested groups render inline as sections.
 */
export function formPages(root: RootNode): FormPage[] {
  const pages: FormPage[] = [];
  let loose: FormChildNode[] = [];
  const flush = (): void => {
    if (loose.length > 0) pages.push(page(loose, () => null));
    loose = [];
  };
  for (const node of childrenOf(root) as readonly FormChildNode[]) {
    if (!isShown(node)) continue;
    if (node.nodeType === 'group' || node.nodeType.startsWith('repeat-range')) {
      flush();
      pages.push(page([node], () => node.currentState.label?.asString ?? null));
    } else {
      loose.push(node);
    }
  }
  flush();
  return pages;
}

function page(nodes: readonly FormChildNode[], heading: () => string | null): FormPage {
  const references = nodes.map((n) => n.currentState.reference);
  return {
    key: references[0] ?? '',
    nodes,
    heading,
    relevant: () => nodes.some((n) => n.currentState.relevant),
    contains: (reference) => references.some((r) => isWithin(reference, r)),
  };
}

/** `/data/members[2]/x` is within `/data/members`; `/data/head_x` is not within `/data/head`. */
export function isWithin(reference: string, ancestor: string): boolean {
  return reference === ancestor || reference.startsWith(`${ancestor}/`) || reference.startsWith(`${ancestor}[`);
}

/** Questions and the groups that hold any; calculations and metadata have nothing to show. */
export function isShown(node: FormNode): boolean {
  switch (node.nodeType) {
    case 'model-value':
    case 'root':
      return false;
    case 'group':
    case 'repeat-instance':
      return childrenOf(node).some(isShown);
    case 'repeat-range:controlled':
    case 'repeat-range:uncontrolled':
      return true;
    default:
      return true;
  }
}
