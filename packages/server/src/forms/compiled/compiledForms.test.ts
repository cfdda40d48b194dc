import { describe, expect, it } from 'vitest';
import { parseXml } from '@outpost/core';
import { validateInstanceHere } from '../formEngine.js';
import { validatorInfo } from '../validateSubmission.js';
import { validatorFor } from './compiledForms.js';
import { judgeBoth } from './differential.test-support.js';

/** A small form with one rule of each kind; `constraint` may be swapped for one the compiler lacks. */
function form(constraint: string): string {
  return `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>t</h:title><model>
<instance><data id="t" version="1"><age/><reason/><n/><kids jr:template=""><name/></kids><meta><instanceID/></meta></data></instance>
<bind nodeset="/data/age" type="int" required="true()" constraint="${constraint}" jr:constraintMsg="Between 0 and 120"/>
<bind nodeset="/data/reason" type="string" relevant="/data/age &gt; 60" required="true()"/>
<bind nodeset="/data/n" type="int"/>
<bind nodeset="/data/kids/name" type="string" required="true()"/>
<bind nodeset="/data/meta/instanceID" type="string"/>
</model></h:head><h:body>
<input ref="/data/age"><label>a</label></input><input ref="/data/reason"><label>r</label></input>
<input ref="/data/n"><label>n</label></input>
<group ref="/data/kids"><label>k</label><repeat nodeset="/data/kids" jr:count="/data/n"><input ref="/data/kids/name"><label>n</label></input></repeat></group>
</h:body></h:html>`;
}

const instance = (body: string): string =>
  `<data id="t" version="1">${body}<meta><instanceID>uuid:1</instanceID></meta></data>`;

describe('compiled validator', () => {
  const compiled = form('. &gt;= 0 and . &lt;= 120');

  it('names each failing field as the engine does: required, relevance, constraint, repeat counts', () => {
    const check = validatorFor(compiled);
    if (check.kind !== 'compiled') throw new Error(check.reason);
    const judge = (body: string) => check.check(parseXml(instance(body)));
    expect(judge('<age>30</age><reason/><n>0</n>')).toEqual([]);
    expect(judge('<age/><reason/><n/>')).toEqual([
      { field: '/data/age', condition: 'required', message: 'is required' },
    ]);
    expect(judge('<age>70</age><reason/><n/>')).toEqual([
      { field: '/data/reason', condition: 'required', message: 'is required' },
    ]);
    expect(judge('<age>130</age><reason>x</reason><n/>')).toEqual([
      { field: '/data/age', condition: 'constraint', message: 'Between 0 and 120' },
    ]);
    // jr:count pads the repeat with blank instances, each of them then missing its name.
    expect(judge('<age>1</age><reason/><n>2</n><kids><name>A</name></kids>')).toEqual([
      { field: '/data/kids[2]/name', condition: 'required', message: 'is required' },
    ]);
    expect(judge('<age>x</age>')[0]?.condition).toBe('type');
  });

  it('falls back to the engine for a form using a function it does not cover, and says why', async () => {
    const fallback = form('pulldata(&apos;x&apos;, &apos;a&apos;, &apos;b&apos;, .) != &apos;&apos;');
    expect(validatorInfo(compiled)).toEqual({ kind: 'compiled' });
    const info = validatorInfo(fallback);
    expect(info.kind).toBe('engine');
    expect(info.kind === 'engine' ? info.reason : '').toContain('pulldata()');
    const xml = instance('<age/><reason/><n/>');
    // The engine judges it (here on this thread; the server runs it in its validation worker).
    const violations = await validateInstanceHere(fallback, xml, parseXml(xml));
    expect(violations.map((v) => [v.field, v.condition])).toEqual([['/data/age', 'required']]);
  }, 60_000);
});

/** Selects of each kind (inline items, an itemset, multiple), shown from the start or only once `gate` > 1. */
const selects = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>s</h:title><model>
<instance><data id="s" version="1"><gate/><inline/><listed/><many/><text/><late><l_inline/><l_listed/><l_many/><l_text/></late><meta><instanceID/></meta></data></instance>
<instance id="sex"><root><item><name>male</name><label>m</label></item><item><name>female</name><label>f</label></item></root></instance>
<bind nodeset="/data/gate" type="int"/>
<bind nodeset="/data/inline" type="string" required="true()"/>
<bind nodeset="/data/listed" type="string" required="true()"/>
<bind nodeset="/data/many" type="string" required="true()"/>
<bind nodeset="/data/text" type="string" required="true()"/>
<bind nodeset="/data/late" relevant="/data/gate &gt; 1"/>
<bind nodeset="/data/late/l_inline" type="string" required="true()"/>
<bind nodeset="/data/late/l_listed" type="string" required="true()"/>
<bind nodeset="/data/late/l_many" type="string" required="true()"/>
<bind nodeset="/data/late/l_text" type="string" required="true()"/>
<bind nodeset="/data/meta/instanceID" type="string"/>
</model></h:head><h:body>
<input ref="/data/gate"><label>g</label></input>
<select1 ref="/data/inline"><label>i</label><item><label>a</label><value>a</value></item><item><label>b</label><value>b</value></item></select1>
<select1 ref="/data/listed"><label>l</label><itemset nodeset="instance('sex')/root/item"><value ref="name"/><label ref="label"/></itemset></select1>
<select ref="/data/many"><label>m</label><item><label>a</label><value>a</value></item><item><label>b</label><value>b</value></item></select>
<input ref="/data/text"><label>t</label></input>
<group ref="/data/late"><label>late</label>
<select1 ref="/data/late/l_inline"><label>i</label><item><label>a</label><value>a</value></item><item><label>b</label><value>b</value></item></select1>
<select1 ref="/data/late/l_listed"><label>l</label><itemset nodeset="instance('sex')/root/item"><value ref="name"/><label ref="label"/></itemset></select1>
<select ref="/data/late/l_many"><label>m</label><item><label>a</label><value>a</value></item><item><label>b</label><value>b</value></item></select>
<input ref="/data/late/l_text"><label>t</label></input>
</group>
</h:body></h:html>`;

describe('answers of spaces only, as the ODK engine reads them', () => {
  const body = (answer: string): string =>
    `<data id="s" version="1"><gate>2</gate><inline>${answer}</inline><listed>${answer}</listed><many>${answer}</many><text>${answer}</text>` +
    `<late><l_inline>${answer}</l_inline><l_listed>${answer}</l_listed><l_many>${answer}</l_many><l_text>${answer}</l_text></late>` +
    `<meta><instanceID>uuid:1</instanceID></meta></data>`;

  it.each([' ', '  ', '\n', ' a ', 'zzz'])(
    'judges %j in every kind of select and text as the engine does',
    async (answer) => {
      const verdicts = await judgeBoth(selects, body(answer));
      expect(verdicts.compiled).toEqual(verdicts.engine);
    },
    60_000,
  );

  it('a select shown only later, answered with spaces, is unanswered; a text answered with spaces is answered', async () => {
    const verdicts = await judgeBoth(selects, body(' '));
    const required = verdicts.compiled.filter((v) => v.condition === 'required').map((v) => v.field);
    expect(required).toEqual(
      expect.arrayContaining(['/data/late/l_inline', '/data/late/l_listed', '/data/late/l_many']),
    );
    expect(required).not.toContain('/data/text');
    expect(required).not.toContain('/data/late/l_text');
  }, 60_000);
});

/**
 * Places, each an aimag and a soum among that aimag's: the soum's choices are filtered by an
 * answer (`filter`), shown only once `gate` is 1 (so the validator keeps only answers among them).
 */
const places = (filter: string, soums: string): string => `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>p</h:title><model>
<instance><data id="p" version="1"><gate/><aimag/><soum/><place jr:template=""><p_aimag/><p_soum/></place><meta><instanceID/></meta></data></instance>
<instance id="soum"><root>${soums}</root></instance>
<bind nodeset="/data/gate" type="int"/>
<bind nodeset="/data/aimag" type="string" relevant="/data/gate = 1"/>
<bind nodeset="/data/soum" type="string" relevant="/data/gate = 1" required="true()"/>
<bind nodeset="/data/place" relevant="/data/gate = 1"/>
<bind nodeset="/data/place/p_aimag" type="string"/>
<bind nodeset="/data/place/p_soum" type="string" required="true()"/>
<bind nodeset="/data/meta/instanceID" type="string"/>
</model></h:head><h:body>
<input ref="/data/gate"><label>g</label></input>
<input ref="/data/aimag"><label>a</label></input>
<select1 ref="/data/soum"><label>s</label><itemset nodeset="instance('soum')/root/item[aimag = /data/aimag]"><value ref="name"/><label ref="name"/></itemset></select1>
<group ref="/data/place"><label>p</label><repeat nodeset="/data/place">
<input ref="/data/place/p_aimag"><label>a</label></input>
<select1 ref="/data/place/p_soum"><label>s</label><itemset nodeset="instance('soum')/root/item[${filter}]"><value ref="name"/><label ref="name"/></itemset></select1>
</repeat></group>
</h:body></h:html>`;

const soumItems = (pairs: Array<[string, string]>): string =>
  pairs.map(([aimag, name]) => `<item><aimag>${aimag}</aimag><name>${name}</name></item>`).join('');
const mongolia = soumItems([
  ['MN11', 'MN1110'],
  ['MN11', 'MN1111'],
  ['MN21', 'MN2101'],
]);

describe('itemsets filtered by answers', () => {
  const placesBody = (aimag: string, soum: string, rows: Array<[string, string]>): string =>
    `<data id="p" version="1"><gate>1</gate><aimag>${aimag}</aimag><soum>${soum}</soum>` +
    rows.map(([a, s]) => `<place><p_aimag>${a}</p_aimag><p_soum>${s}</p_soum></place>`).join('') +
    `<meta><instanceID>uuid:1</instanceID></meta></data>`;
  const judgeIn = (xform: string, body: string) => {
    const check = validatorFor(xform);
    if (check.kind !== 'compiled') throw new Error(check.reason);
    return check.check(parseXml(body)).map((v) => `${v.field} ${v.condition}`);
  };

  it("filters each repeat instance's choices by its own answer (current()), as the engine does", async () => {
    const xform = places('aimag = current()/../p_aimag', mongolia);
    const rows: Array<[string, string]> = [
      ['MN11', 'MN1111'],
      ['MN21', 'MN2101'],
      ['MN11', 'MN2101'],
    ];
    expect(judgeIn(xform, placesBody('MN11', 'MN1110', rows))).toEqual(['/data/place[3]/p_soum required']);
    const verdicts = await judgeBoth(xform, placesBody('MN11', 'MN1110', rows));
    expect(verdicts.compiled).toEqual(verdicts.engine);
  }, 60_000);

  it("filters by each submission's own answers, one submission after another", () => {
    const xform = places('aimag = current()/../p_aimag', mongolia);
    expect(judgeIn(xform, placesBody('MN11', 'MN1111', []))).toEqual([]);
    expect(judgeIn(xform, placesBody('MN21', 'MN2101', []))).toEqual([]);
    expect(judgeIn(xform, placesBody('MN21', 'MN1111', []))).toEqual(['/data/soum required']);
    expect(judgeIn(xform, placesBody('MN11', 'MN1111', []))).toEqual([]);
  });

  it("reads each form version's own choice lists", () => {
    const moved = soumItems([
      ['MN11', 'MN1110'],
      ['MN21', 'MN1111'],
    ]);
    const body = placesBody('MN11', 'MN1111', [['MN21', 'MN1111']]);
    expect(judgeIn(places('aimag = current()/../p_aimag', mongolia), body)).toEqual(['/data/place[1]/p_soum required']);
    expect(judgeIn(places('aimag = current()/../p_aimag', moved), body)).toEqual(['/data/soum required']);
  });
});
