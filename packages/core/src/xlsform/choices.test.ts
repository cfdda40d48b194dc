import { describe, expect, it } from 'vitest';
import { secondaryInstances } from './choices.js';
import { treeOf } from './workbook.test-support.js';

describe('choices', () => {
  it('each list becomes an instance of items with name, label and extra columns', () => {
    const ctx = treeOf({
      survey: [['type', 'name', 'label']],
      choices: [
        ['list_name', 'name', 'label', 'region'],
        ['district', 'd1', 'One', 'north'],
      ],
    });
    expect(secondaryInstances(ctx).map(String)).toEqual([
      '<instance id="district">\n  <root>\n    <item>\n      <name>d1</name>\n      <label>One</label>\n      <region>north</region>\n    </item>\n  </root>\n</instance>',
    ]);
  });

  it('a duplicate choice name in one list is refused unless allowed', () => {
    const ctx = treeOf({
      survey: [['type', 'name', 'label']],
      choices: [
        ['list_name', 'name', 'label'],
        ['yn', 'yes', 'Yes'],
        ['yn', 'yes', 'Yes again'],
      ],
    });
    expect(ctx.issues.map((i) => i.code)).toEqual(['xlsform.duplicate-choice']);
  });
});
