import { describe, expect, it } from 'vitest';
import { wellFormedProblem } from './wellFormedXml.js';

describe('the well-formedness check used on every compiled XForm', () => {
  it('accepts namespaced XML with escapes', () => {
    expect(wellFormedProblem('<?xml version="1.0"?>\n<h:a xmlns:h="u" x="1 &lt; 2"><b>&amp;</b></h:a>\n')).toBeNull();
  });

  it.each([
    ['<a jr:x="1"/>', 'the prefix "jr" is not declared (on <a>)'],
    ['<a x="1" x="2"/>', 'the attribute x appears twice on <a>'],
    ['<a b:c:d="1" xmlns:b="u"/>', '"b:c:d" is not a valid attribute name (on <a>)'],
    ['<a><b></a>', '</a> does not close <b>'],
    ['<a>x & y</a>', 'a bare "&" in text near "x & y"'],
    ['<a>\u000b</a>', 'character U+B is not allowed in XML'],
    ['<a/><b/>', 'more than one root element'],
  ])('refuses %s', (xml, why) => {
    expect(wellFormedProblem(xml)).toBe(why);
  });
});
