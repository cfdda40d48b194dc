// The ODK engine fallback in its worker pool: a form version whose validation takes long holds one
// worker, and another form's submissions are judged meanwhile on another (issue 14). Order of
// completion is asserted, never how long anything took.
import { ProblemError } from '@outpost/core';
import { describe, expect, it } from 'vitest';
import { validateInstance, validationLimits, warmValidation } from './validateInWorker.js';

const head = (id: string, instance: string, binds: string, body: string): string => `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>${id}</h:title><model>
<instance><data id="${id}" version="1">${instance}<meta><instanceID/></meta></data></instance>
${binds}
<bind nodeset="/data/meta/instanceID" type="string"/>
</model></h:head><h:body>${body}</h:body></h:html>`;

/** Quick to judge: one required question. */
const quick = head(
  'quick',
  '<name/>',
  '<bind nodeset="/data/name" type="string" required="true()"/>',
  '<input ref="/data/name"><label>n</label></input>',
);
/** Slow to judge: every repeat instance counts its namesakes among all the others. */
const slow = head(
  'slow',
  '<r jr:template=""><a/><b/></r>',
  `<bind nodeset="/data/r/a" type="string" required="true()"/>
<bind nodeset="/data/r/b" type="string" calculate="count(/data/r[a = current()/../a])"/>`,
  '<group ref="/data/r"><label>r</label><repeat nodeset="/data/r"><input ref="/data/r/a"><label>a</label></input></repeat></group>',
);
const wrap = (id: string, body: string): string =>
  `<data id="${id}" version="1">${body}<meta><instanceID>uuid:1</instanceID></meta></data>`;
const bigInstance = wrap(
  'slow',
  Array.from({ length: 500 }, (_, i) => `<r><a>${i % 7 === 0 ? '' : `n${i % 50}`}</a><b/></r>`).join(''),
);

describe('engine validation in its worker pool', () => {
  it('judges another form’s submissions while a slow form version holds a worker', async () => {
    expect(validationLimits.concurrent).toBeGreaterThanOrEqual(2);
    // Every worker loaded with the engine, and the quick form, first: as on a running server.
    await warmValidation();
    const warm = await Promise.all([
      validateInstance(quick, wrap('quick', '<name/>')),
      validateInstance(quick, wrap('quick', '<name>A</name>')),
    ]);
    expect(warm).toEqual([[{ field: '/data/name', condition: 'required', message: 'is required' }], []]);

    const finished: string[] = [];
    // Judged or, past its time limit, refused with a retryable 503: either way it ends later.
    const slowDone = validateInstance(slow, bigInstance).then(
      (violations) => finished.push(`slow: ${violations.length} violations`),
      (err: unknown) => finished.push(`slow: ${err instanceof ProblemError ? err.problem.code : String(err)}`),
    );
    const quickVerdicts = await Promise.all([
      validateInstance(quick, wrap('quick', '<name/>')),
      validateInstance(quick, wrap('quick', '<name>B</name>')),
    ]);
    finished.push('quick');
    expect(quickVerdicts.map((v) => v.length)).toEqual([1, 0]);
    await slowDone;
    expect(finished).toEqual(['quick', expect.stringMatching(/^slow: /)]);
  }, 240_000);
});
