import { describe, expect, it } from 'vitest';
import { nodeNamed, treeOf } from './workbook.test-support.js';

describe('survey tree', () => {
  it('nests questions in the groups and repeats their rows open', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label'],
        ['begin group', 'hh', 'Household'],
        ['begin repeat', 'member', 'Member'],
        ['text', 'name', 'Name'],
        ['end repeat', '', ''],
        ['end group', '', ''],
        ['integer', 'total', 'Total'],
      ],
    });
    expect(ctx.issues).toEqual([]);
    expect(ctx.root.children.map((c) => c.name)).toEqual(['hh', 'total']);
    expect(nodeNamed(ctx, 'name').parent?.kind).toBe('repeat');
    expect(nodeNamed(ctx, 'member').parent?.name).toBe('hh');
  });

  it('reports an end that closes the wrong kind of block, and a block never closed', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label'],
        ['begin group', 'g', 'G'],
        ['end repeat', '', ''],
        ['begin repeat', 'r', 'R'],
      ],
    });
    expect(ctx.issues.map((i) => i.code)).toEqual(['xlsform.unmatched-end', 'xlsform.unclosed-group']);
    expect(ctx.issues[0]?.message).toContain('expected "end group" for the group "g" that starts on row 2');
  });

  it('or_other adds the "other" choice and a text question shown when it is chosen', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label'],
        ['select_one fruit or_other', 'fav', 'Favourite'],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['fruit', 'apple', 'Apple'],
      ],
    });
    expect(ctx.lists.get('fruit')?.choices.map((c) => c.name)).toEqual(['apple', 'other']);
    expect(nodeNamed(ctx, 'fav_other').relevantOverride).toBe("selected(../fav, 'other')");
  });

  it('a loop becomes one group per choice with %(label)s filled in', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label'],
        ['begin loop over animals', 'loop', 'Animals'],
        ['integer', 'count', 'How many %(label)s?'],
        ['end loop', '', ''],
      ],
      choices: [
        ['list_name', 'name', 'label'],
        ['animals', 'goat', 'Goats'],
        ['animals', 'yak', 'Yaks'],
      ],
    });
    const loop = nodeNamed(ctx, 'loop');
    expect(loop.children.map((c) => c.name)).toEqual(['goat', 'yak']);
    expect(loop.children[1]?.children[0]?.labelOverride?.get('default')?.value).toBe('How many Yaks?');
  });
});
