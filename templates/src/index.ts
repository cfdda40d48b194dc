import type { Area } from './area.js';
import type { ActivityOptions, DemoActivity } from './demo/demoActivity.js';
import type { DemoData, DemoOptions } from './demo/demoData.js';
import * as helpdeskActivity from './helpdesk/demoActivity.js';
import * as mongoliaActivity from './mongolia-social-protection/demoActivity.js';
import * as pngActivity from './png-protected-areas/demoActivity.js';
import * as helpdeskDemo from './helpdesk/demo.js';
import * as helpdeskAreas from './helpdesk/areas.js';
import * as helpdeskForms from './helpdesk/forms.js';
import * as mongoliaDemo from './mongolia-social-protection/demo.js';
import * as mongoliaAreas from './mongolia-social-protection/areas.js';
import * as mongoliaForms from './mongolia-social-protection/forms.js';
import * as pngDemo from './png-protected-areas/demo.js';
import * as pngAreas from './png-protected-areas/areas.js';
import * as pngForms from './png-protected-areas/forms.js';
import type { FormDefinition } from './xlsform/formDefinition.js';

export type { Area, AreaList } from './area.js';
export type { DemoData, DemoEntity, DemoOptions } from './demo/demoData.js';
export type { ActivityOptions, DemoActivity, DemoEvent, DemoSubmission, DemoTag } from './demo/demoActivity.js';
export type { Answers, InstanceEntity, InstanceMeta } from './demo/instanceXml.js';
export { instanceXml } from './demo/instanceXml.js';
export type {
  Choice,
  ChoiceList,
  EntityDeclaration,
  FormDefinition,
  FormLanguage,
  Labels,
  LanguageCode,
  Sensitivity,
  SurveyRow,
} from './xlsform/formDefinition.js';
export type { SheetTable } from './xlsform/formSheets.js';
export { formSheets, saveToTargets } from './xlsform/formSheets.js';
export { formatRegisterNumber, parseRegisterNumber } from './mongolia-social-protection/registerNumber.js';
export type { RegisterNumberParts } from './mongolia-social-protection/registerNumber.js';

export interface TemplateForm {
  /** Path of the XLSForm workbook relative to the package root (the folder holding package.json). */
  file: string;
  formId: string;
}

export interface Template {
  name: string;
  title: string;
  generateDemo: (options: DemoOptions) => DemoData;
  /** The submissions (and category tags) that bring the demo's cases about, in time order. */
  demoActivity: (demo: DemoData, options: ActivityOptions) => DemoActivity;
  forms: TemplateForm[];
  /** The readable sources of the workbooks, in the same order as `forms`. */
  definitions: FormDefinition[];
  areas: Area[];
  areaListVersion: string;
}

function template(
  name: string,
  title: string,
  generateDemo: Template['generateDemo'],
  demoActivity: Template['demoActivity'],
  definitions: FormDefinition[],
  areaList: { areas: Area[]; areaListVersion: string },
): Template {
  return {
    name,
    title,
    generateDemo,
    demoActivity,
    forms: definitions.map((d) => ({ file: d.file, formId: d.formId })),
    definitions,
    areas: areaList.areas,
    areaListVersion: areaList.areaListVersion,
  };
}

export const templates: Record<string, Template> = {
  'mongolia-social-protection': template(
    'mongolia-social-protection',
    'Mongolia social-protection case management',
    mongoliaDemo.generateDemo,
    mongoliaActivity.demoActivity,
    mongoliaForms.forms,
    mongoliaAreas,
  ),
  'png-protected-areas': template(
    'png-protected-areas',
    'PNG protected-area monitoring',
    pngDemo.generateDemo,
    pngActivity.demoActivity,
    pngForms.forms,
    pngAreas,
  ),
  helpdesk: template(
    'helpdesk',
    'Country office helpdesk',
    helpdeskDemo.generateDemo,
    helpdeskActivity.demoActivity,
    helpdeskForms.forms,
    helpdeskAreas,
  ),
};

/**
 * Where a template file lives. Both src/index.ts and dist/index.js sit one folder below the
 * package root, so the same relative URL works from source and from the build.
 */
export function templateFileUrl(file: string): URL {
  return new URL(`../${file}`, import.meta.url);
}
