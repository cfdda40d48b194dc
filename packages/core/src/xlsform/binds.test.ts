import { describe, expect, it } from 'vitest';
import { commonBind, dynamicDefault, parameterBind, questionRules } from './binds.js';
import { parseParameters } from './parameters.js';
import { emitState, nodeNamed, treeOf } from './workbook.test-support.js';
import { XmlElement } from './XmlElement.js';

describe('binds', () => {
  it('type, required and constraint of a question', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label', 'required', 'constraint'],
        ['integer', 'n', 'N', 'yes', '. >= 0'],
      ],
    });
    const node = nodeNamed(ctx, 'n');
    const bind = commonBind(ctx, emitState(), node);
    questionRules(ctx, node, bind);
    expect(bind.toString()).toBe('<bind nodeset="/data/n" type="int" required="true()" constraint=". &gt;= 0"/>');
  });

  it('under the flat setting a group passes its relevant down to its questions', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label', 'relevant'],
        ['integer', 'age', 'Age', ''],
        ['begin group', 'g', 'G', '${age} > 18'],
        ['text', 'job', 'Job', ''],
        ['end group', '', '', ''],
      ],
    });
    ctx.root.flat = true;
    const state = emitState({ flat: true });
    expect(commonBind(ctx, state, nodeNamed(ctx, 'g')).attributes).toEqual([['nodeset', '/data']]);
    expect(commonBind(ctx, state, nodeNamed(ctx, 'job')).toString()).toBe(
      '<bind nodeset="/data/job" relevant=" /data/age  &gt; 18"/>',
    );
  });

  it('an expression default becomes setvalue actions, on first load and on each new repeat', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label', 'default'],
        ['begin repeat', 'r', 'R', ''],
        ['date', 'd', 'D', 'today()'],
        ['end repeat', '', '', ''],
      ],
    });
    const state = emitState();
    const inRepeat = dynamicDefault(ctx, state, nodeNamed(ctx, 'd'));
    expect(state.modelActions.map(String)).toEqual([
      '<setvalue event="odk-instance-first-load" ref="/data/r/d" value="today()"/>',
    ]);
    expect(String(inRepeat)).toBe('<setvalue event="odk-new-repeat" ref="/data/r/d" value="today()"/>');
  });

  it('parameters become bind attributes for the types that take them', () => {
    const ctx = treeOf({
      survey: [
        ['type', 'name', 'label', 'parameters'],
        ['image', 'photo', 'Photo', 'max-pixels=1024'],
        ['range', 'r', 'R', 'start=0.5 end=2 step=0.5'],
      ],
    });
    for (const [name, want] of [
      ['photo', '<bind orx:max-pixels="1024"/>'],
      ['r', '<bind type="decimal"/>'],
    ] as const) {
      const bind = new XmlElement('bind');
      const node = nodeNamed(ctx, name);
      parameterBind(node, parseParameters(node.row?.cells.get('parameters')?.value), bind);
      expect(bind.toString()).toBe(want);
    }
  });
});
