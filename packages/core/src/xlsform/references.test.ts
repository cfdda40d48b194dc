import { describe, expect, it } from 'vitest';
import { expression, pathOf, referencePath, resolveRefs } from './references.js';
import { nodeNamed, treeOf } from './workbook.test-support.js';

const form = {
  survey: [
    ['type', 'name', 'label', 'relevant'],
    ['integer', 'age', 'Age', ''],
    ['begin repeat', 'child', 'Child', ''],
    ['text', 'cname', 'Name', ''],
    ['integer', 'cage', 'Age', '${cname} != "" and ${age} > 0'],
    ['end repeat', '', '', ''],
  ],
};

describe('paths and references', () => {
  it('paths run from the root through groups and repeats', () => {
    const ctx = treeOf(form);
    expect(pathOf(nodeNamed(ctx, 'cage'))).toBe('/data/child/cage');
  });

  it('a reference inside the same repeat is relative, one outside it absolute', () => {
    const ctx = treeOf(form);
    const cage = nodeNamed(ctx, 'cage');
    expect(referencePath(cage, nodeNamed(ctx, 'cname'))).toBe('../cname');
    expect(expression(ctx, cage, 'relevant')).toBe(' ../cname  != "" and  /data/age  > 0');
  });

  it('an unknown reference is reported at its cell and left as written', () => {
    const ctx = treeOf(form);
    const cage = nodeNamed(ctx, 'cage');
    expect(resolveRefs(ctx, cage, '${nope} + 1', null, 5)).toBe('${nope} + 1');
    expect(ctx.issues.map((i) => i.code)).toEqual(['xlsform.unknown-reference']);
  });

  it('a bad expression is reported with the reason', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label', 'constraint'],
        ['integer', 'n', 'N', '. > '],
      ],
    });
    expression(ctx, nodeNamed(ctx, 'n'), 'constraint');
    expect(ctx.issues.map((i) => i.code)).toEqual(['xlsform.bad-expression']);
    expect(ctx.issues[0]?.column).toBe('"constraint" (D)');
  });
});
