/** Test DSL: each sheet is a header row followed by data rows, exactly as an author types them. */
import { readChoices } from './choices.js';
import { emptyPlan } from './entityPlan.js';
import { compileXlsform } from './compileXlsform.js';
import { createContext, type Ctx, type EmitSettings, type EmitState, type SurveyNode } from './model.js';
import { readSheet } from './sheetTable.js';
import { buildTree } from './surveyTree.js';
import type { CompileIssue, CompileResult, Workbook } from './types.js';
import { wellFormedProblem } from './wellFormedXml.js';

export type Sheets = Record<string, string[][]>;

export function letter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function workbook(sheets: Sheets): Workbook {
  return {
    sheets: Object.entries(sheets).map(([name, rows]) => ({
      name,
      rows: rows.map((cells, i) => ({
        rowNumber: i + 1,
        cells: cells.map((value, c) => ({ column: letter(c), value })).filter((c) => c.value !== ''),
      })),
    })),
  };
}

/** Compiles, and fails the test when an accepted form's XForm is not well-formed XML. */
export function compile(sheets: Sheets, fileName = 'test_form.xlsx'): CompileResult {
  const result = compileXlsform(workbook(sheets), { fileName });
  if (result.ok) {
    const problem = wellFormedProblem(result.xform);
    if (problem) throw new Error(`the compiled XForm is not well-formed XML: ${problem}\n${result.xform}`);
  }
  return result;
}

export function errors(sheets: Sheets): string[] {
  return errorIssues(sheets).map((e) => e.message);
}

export function errorIssues(sheets: Sheets): CompileIssue[] {
  const result = compile(sheets);
  if (result.ok) throw new Error('expected the form to be rejected');
  return result.errors;
}

export function xform(sheets: Sheets): string {
  const result = compile(sheets);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.xform;
}

/** The warnings of a form that must compile. */
export function warnings(sheets: Sheets): CompileIssue[] {
  const result = compile(sheets);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.warnings;
}

/** The compile context after the choices and survey sheets were read: for testing one part alone. */
export function treeOf(sheets: Sheets): Ctx {
  const book = workbook(sheets);
  const ctx = createContext('survey', [], [], 'default', 'data');
  const choices = book.sheets.find((s) => s.name === 'choices');
  if (choices) readChoices(ctx, readSheet(choices, { errors: ctx.issues, warnings: ctx.warnings }), false);
  buildTree(
    ctx,
    readSheet(book.sheets.find((s) => s.name === 'survey') as Workbook['sheets'][number], {
      errors: ctx.issues,
      warnings: ctx.warnings,
    }),
  );
  return ctx;
}

/** The node named `name` (the only one). */
export function nodeNamed(ctx: Ctx, name: string): SurveyNode {
  const nodes = ctx.byName.get(name) ?? [];
  if (nodes.length !== 1) throw new Error(`expected one node named ${name}, found ${nodes.length}`);
  return nodes[0] as SurveyNode;
}

/** Fresh emit state with default settings, for testing binds and body alone. */
export function emitState(overrides: Partial<EmitSettings> = {}): EmitState {
  return {
    settings: {
      formId: 'f',
      title: 'F',
      version: '',
      instanceName: null,
      publicKey: undefined,
      submissionUrl: undefined,
      style: undefined,
      entities: null,
      defaultSensitivity: null,
      flat: false,
      ...overrides,
    },
    binds: [],
    modelActions: [],
    fields: [],
    entityPlan: emptyPlan(),
    flatRelevant: new Map(),
    hasAudit: false,
    triggers: new Map(),
  };
}
