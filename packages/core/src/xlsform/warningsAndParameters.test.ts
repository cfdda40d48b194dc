import { describe, expect, it } from 'vitest';
import { errorIssues, warnings, xform, type Sheets } from './workbook.test-support.js';

describe('warnings pyxform gives, without refusing the form', () => {
  it('a language without one of the translated columns', () => {
    const found = warnings({
      survey: [
        ['type', 'name', 'label::English (en)', 'label::French (fr)', 'hint::English (en)'],
        ['text', 'a', 'Name', 'Nom', 'Full name'],
      ],
    });
    expect(found.map((w) => w.message)).toEqual([
      'survey sheet: the column hint has no translation for "French (fr)": those languages will show "-" or nothing there',
    ]);
  });

  it('a language of the survey missing on the choices sheet', () => {
    const found = warnings({
      survey: [
        ['type', 'name', 'label::English (en)', 'label::French (fr)'],
        ['select_one yn', 'q', 'Q', 'Q'],
      ],
      choices: [
        ['list_name', 'name', 'label::English (en)'],
        ['yn', 'yes', 'Yes'],
      ],
    });
    expect(found.map((w) => [w.code, w.sheet])).toEqual([['xlsform.missing-translation', 'choices']]);
  });

  it('deprecated device metadata and the disabled column', () => {
    const result = warnings({
      survey: [
        ['type', 'name', 'label', 'disabled'],
        ['simserial', 'sim', '', ''],
        ['text', 'old', 'Old question', 'yes'],
        ['text', 'a', 'A', ''],
      ],
    });
    expect(result.map((w) => [w.code, w.row])).toEqual([
      ['xlsform.deprecated', 3],
      ['xlsform.deprecated', 2],
    ]);
    expect(
      xform({
        survey: [
          ['type', 'name', 'label', 'disabled'],
          ['text', 'old', 'Old question', 'yes'],
          ['text', 'a', 'A', ''],
        ],
      }),
    ).not.toContain('old');
  });

  it('a choice without a label', () => {
    expect(
      warnings({
        survey: [
          ['type', 'name', 'label'],
          ['select_one yn', 'q', 'Q'],
        ],
        choices: [
          ['list_name', 'name', 'label'],
          ['yn', 'yes', ''],
        ],
      }).map((w) => [w.code, w.sheet, w.row]),
    ).toEqual([['xlsform.choice-without-label', 'choices', 2]]);
  });
});

describe('the parameters column is validated per question type', () => {
  const form = (type: string, parameters: string): Sheets => ({
    survey: [
      ['type', 'name', 'label', 'parameters'],
      [type, type === 'audit' ? 'audit' : 'q', 'Q', parameters],
    ],
    choices: [
      ['list_name', 'name', 'label'],
      ['yn', 'yes', 'Yes'],
    ],
  });

  it.each([
    ['range', 'start=1 end=10 step=0'],
    ['range', 'start=one'],
    ['range', 'min=1'],
    ['image', 'max-pixels=big'],
    ['audio', 'quality=ultra'],
    ['geopoint', 'capture-accuracy=-5'],
    ['audit', 'location-priority=balanced'],
    ['audit', 'location-priority=fast location-min-interval=10 location-max-age=60'],
    ['select_one yn', 'randomize=maybe'],
    ['select_one yn', 'seed=4'],
  ])('%s with %s is refused at the parameters cell', (type, parameters) => {
    const [e] = errorIssues(form(type, parameters));
    expect(e).toMatchObject({ code: 'xlsform.bad-parameter', row: 2, column: '"parameters" (D)' });
  });

  it.each([
    ['range', 'start=0.5 end=2.5 step=0.5'],
    ['image', 'max-pixels=1024'],
    ['audio', 'quality=voice-only'],
    ['geopoint', 'capture-accuracy=10 warning-accuracy=20'],
    ['audit', 'location-priority=balanced location-min-interval=10 location-max-age=60 track-changes=true'],
    ['select_one yn', 'randomize=true seed=4'],
  ])('%s with %s compiles', (type, parameters) => {
    expect(xform(form(type, parameters))).toContain('<h:body');
  });

  it('an unknown key names the accepted ones', () => {
    const [e] = errorIssues(form('image', 'max-pixel=1024'));
    expect(e?.message).toBe(
      'survey sheet, row 2, column "parameters" (D): the parameter(s) max-pixel are not accepted here; accepted: app, max-pixels',
    );
  });
});
