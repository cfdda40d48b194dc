import { describe, expect, it } from 'vitest';
import { emitSettings, readSettings } from './settings.js';
import { workbook } from './workbook.test-support.js';

describe('settings', () => {
  it('form id and title default to the file name', () => {
    const settings = readSettings(workbook({ survey: [['type']] }), { errors: [], warnings: [] });
    const s = emitSettings(settings, 'uploads/household_survey.xlsx', 'data', null);
    expect([s.formId, s.title, s.version]).toEqual(['household_survey', 'household_survey', '']);
  });

  it('the settings sheet names id, title, version and instance name', () => {
    const settings = readSettings(
      workbook({
        settings: [
          ['form_id', 'form_title', 'version', 'instance_name'],
          ['hh', 'Household', '2024010101', 'concat(${a}, "x")'],
        ],
      }),
      { errors: [], warnings: [] },
    );
    const s = emitSettings(settings, 'x.xlsx', 'data', null);
    expect([s.formId, s.title, s.version]).toEqual(['hh', 'Household', '2024010101']);
    expect(s.instanceName?.cell.letter).toBe('D');
  });
});
