export { compileXlsform } from './compileXlsform.js';
export { wellFormedProblem } from './wellFormedXml.js';
export type {
  CompileIssue,
  CompileOptions,
  CompileResult,
  EntitiesSpec,
  FieldInfo,
  FormSummary,
  Workbook,
} from './types.js';
