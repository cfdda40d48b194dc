import { describe, expect, it } from 'vitest';
import { itextElement, messageAttribute, textElement, textWithOutputs } from './itext.js';
import { nodeNamed, treeOf } from './workbook.test-support.js';

describe('itext', () => {
  it('a ${ref} in a label becomes an <output/>', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label'],
        ['text', 'who', 'Who?'],
        ['note', 'hi', 'Hello ${who}!'],
      ],
    });
    const hi = nodeNamed(ctx, 'hi');
    const parts = textWithOutputs(ctx, hi, hi.row?.cells.get('label') as never).map(String);
    expect(parts).toEqual(['Hello ', '<output value=" /data/who "/>', '!']);
  });

  it('a translated label goes to itext; a language without the text gets "-"', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label::English (en)', 'label::Mongolian (mn)'],
        ['text', 'a', 'Name', 'Нэр'],
        ['text', 'b', 'Village', ''],
      ],
    });
    for (const name of ['a', 'b']) {
      const node = nodeNamed(ctx, name);
      expect(textElement(ctx, node, 'label', `/data/${name}`, new Map())?.toString()).toBe(
        `<label ref="jr:itext('/data/${name}:label')"/>`,
      );
    }
    const xml = itextElement(ctx)?.toString() ?? '';
    expect(xml).toContain(
      '<translation lang="Mongolian (mn)">\n    <text id="/data/a:label">\n      <value>Нэр</value>\n    </text>\n    <text id="/data/b:label">\n      <value>-</value>',
    );
    expect(xml).toContain('<value>Нэр</value>');
  });

  it('an untranslated constraint message stays an attribute value', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label', 'constraint', 'constraint_message'],
        ['integer', 'n', 'N', '. > 0', 'Must be positive'],
      ],
    });
    expect(messageAttribute(ctx, nodeNamed(ctx, 'n'), 'constraint_message', 'jr:constraintMsg')).toBe(
      'Must be positive',
    );
  });
});
