import { describe, expect, it } from 'vitest';
import { xformDifference } from './xformEquivalence.js';

const form = (
  body: string,
  bind = '<bind nodeset="/d/a" type="string" relevant="1 = 1"/>',
): string => `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
  <h:head><h:title>T</h:title>
    <model><instance><d id="t"><a/><meta><instanceID/></meta></d></instance>${bind}</model>
  </h:head>
  <h:body>${body}</h:body>
</h:html>`;

describe('xformDifference', () => {
  it('ignores attribute order, whitespace and namespace prefixes', () => {
    const a = form('<input ref="/d/a"><label>Name  of\n person</label></input>');
    const b = form(
      '<input ref="/d/a"><label>Name of person</label></input>',
      '<bind relevant="1 = 1" type="string" nodeset="/d/a"/>',
    )
      .replace(/xmlns:h=/, 'xmlns:x=')
      .replace(/<h:/g, '<x:')
      .replace(/<\/h:/g, '</x:');
    expect(xformDifference(a, b)).toBeNull();
  });

  it('names the bind whose relevance differs', () => {
    const a = form('<input ref="/d/a"><label>A</label></input>');
    const b = form(
      '<input ref="/d/a"><label>A</label></input>',
      '<bind nodeset="/d/a" type="string" relevant="1 = 2"/>',
    );
    expect(xformDifference(a, b)).toMatch(/^bind \/d\/a differs/);
  });

  it('notices a changed appearance and a missing control', () => {
    const a = form('<input ref="/d/a" appearance="multiline"><label>A</label></input>');
    expect(xformDifference(a, form('<input ref="/d/a"><label>A</label></input>'))).toMatch(/input\[\/d\/a\] differs/);
    expect(xformDifference(a, form(''))).toMatch(/missing from the compiled form/);
  });
});
