/**
 * The orchestrator: workbook → settings, choices and survey tree → body and binds → model → XForm.
 * Each step lives in its own file (see README.md); this one only calls them in order.
 */
import { bodyOf } from './body.js';
import { emitEntities, entitiesVersion } from './entities.js';
import { planEntities } from './entityPlan.js';
import { readChoices, secondaryInstances } from './choices.js';
import { instanceNodes, metaElement } from './instance.js';
import { issue } from './issues.js';
import { itextElement } from './itext.js';
import {
  createContext,
  ENTITIES_NS,
  KNOWN_SHEETS,
  NS,
  truthy,
  XML_NAME,
  type Ctx,
  type EmitSettings,
  type EmitState,
} from './model.js';
import { emitSettings, findSheet, readSettings, type Settings } from './settings.js';
import { choicesWithoutLabel, deprecatedTypes, missingTranslations } from './formWarnings.js';
import { readSheet } from './sheetTable.js';
import { buildTree } from './surveyTree.js';
import type {
  CompileIssue,
  CompileOptions,
  CompileResult,
  EntitiesSpec,
  FieldInfo,
  FormSummary,
  Workbook,
} from './types.js';
import { collectTriggers } from './triggers.js';
import { wellFormedProblem } from './wellFormedXml.js';
import { XmlElement } from './XmlElement.js';

export function compileXlsform(workbook: Workbook, options: CompileOptions = {}): CompileResult {
  const issues: CompileIssue[] = [];
  const warnings: CompileIssue[] = [];
  const surveySheet = findSurveySheet(workbook, issues, warnings);
  if (!surveySheet) return { ok: false, errors: issues };
  const report = { errors: issues, warnings };
  warnMisspeltSheets(workbook, warnings);
  const settings = readSettings(workbook, report);
  const survey = readSheet(
    surveySheet,
    report,
    settings.get('clean_text_values') === undefined || truthy(settings.get('clean_text_values')),
  );
  checkRootName(settings, options, issues);
  const ctx = createContext(
    survey.name,
    issues,
    warnings,
    settings.get('default_language') ?? 'default',
    options.formName ?? settings.get('name') ?? 'data',
  );
  const choicesSheet = findSheet(workbook, 'choices');
  const choices = choicesSheet ? readSheet(choicesSheet, report) : null;
  if (choices) readChoices(ctx, choices, truthy(settings.get('allow_choice_duplicates')));
  buildTree(ctx, survey);
  missingTranslations(ctx, choices ? [survey, choices] : [survey]);
  deprecatedTypes(ctx, survey);
  choicesWithoutLabel(ctx);
  if (issues.length > 0) return failed(issues, warnings);

  if (truthy(settings.get('flat'))) ctx.root.flat = true;
  const entitiesSheet = findSheet(workbook, 'entities');
  const entitiesTable = entitiesSheet ? readSheet(entitiesSheet, report) : null;
  declareNamespaces(ctx, settings, entitiesTable !== null && entitiesTable.rows.length > 0);
  const emitted = emit(ctx, emitSettings(settings, options.fileName, ctx.root.name, entitiesTable));
  if (issues.length > 0) return failed(issues, warnings);
  const malformed = wellFormedProblem(emitted.xml);
  if (malformed) {
    // Every known cause is refused at its cell first; this is the last line, so a broken XForm is never published.
    const why = `the compiled form would not be well-formed XML (${malformed}); nothing was published. Please report this with the workbook`;
    return { ok: false, errors: [issue('xlsform.not-well-formed', survey.name, null, null, why)] };
  }
  const { formId, version, title } = emitted.settings;
  const form: FormSummary = {
    formId,
    version,
    title,
    defaultLanguage: settings.get('default_language') ?? null,
    languages: [...ctx.languages].sort(),
    instanceName: emitted.instanceName,
    fields: emitted.fields,
    entities: emitted.entities[0] ?? null,
    entityLists: emitted.entities,
  };
  return { ok: true, xform: emitted.xml, form, warnings };
}

/** The settings' name becomes the root element of every submission, so it must be an XML name. */
function checkRootName(settings: Settings, options: CompileOptions, issues: CompileIssue[]): void {
  const cell = settings.row?.cells.get('name');
  if (options.formName !== undefined || !cell || XML_NAME.test(cell.value.trim())) return;
  issues.push(
    issue(
      'xlsform.invalid-form-name',
      settings.row?.sheet ?? 'settings',
      settings.row?.rowNumber ?? null,
      cell,
      `"${cell.value.trim()}" cannot name the form's data: use letters, digits, "-", "_" and "." only, starting with a letter or "_"`,
    ),
  );
}

/** A refused form's errors, with the misspelt-sheet notes that often explain them. */
function failed(issues: CompileIssue[], warnings: CompileIssue[]): CompileResult {
  return { ok: false, errors: [...issues, ...warnings.filter((w) => w.code === 'xlsform.sheet-misspelt')] };
}

/** A sheet whose name is one or two letters off a sheet the form lacks ("choice", "setting") is read by no one. */
function warnMisspeltSheets(workbook: Workbook, warnings: CompileIssue[]): void {
  for (const sheet of workbook.sheets) {
    const name = sheet.name.trim().toLowerCase();
    if (KNOWN_SHEETS.includes(name)) continue;
    const meant = KNOWN_SHEETS.find((k) => !findSheet(workbook, k) && editDistance(name, k) <= 2);
    if (meant && (meant !== 'survey' || findSheet(workbook, 'survey')))
      warnings.push(
        issue(
          'xlsform.sheet-misspelt',
          sheet.name,
          null,
          null,
          `there is no "${meant}" sheet; if this sheet is meant to be it, rename it to "${meant}" (as it is, it is ignored)`,
        ),
      );
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The sheet named "survey", or the only sheet with an unknown name (with a warning). */
function findSurveySheet(
  workbook: Workbook,
  issues: CompileIssue[],
  warnings: CompileIssue[],
): Workbook['sheets'][number] | undefined {
  const survey = findSheet(workbook, 'survey');
  if (survey) return survey;
  const others = workbook.sheets.filter((s) => !KNOWN_SHEETS.includes(s.name.trim().toLowerCase()));
  const only = others.length === 1 ? others[0] : undefined;
  if (only) {
    warnings.push(
      issue(
        'xlsform.survey-sheet-guessed',
        only.name,
        null,
        null,
        'there is no sheet named "survey"; this sheet was used as the survey',
      ),
    );
    return only;
  }
  issues.push(issue('xlsform.no-survey-sheet', 'survey', null, null, 'the workbook has no sheet named "survey"'));
  return undefined;
}

/**
 * The settings' `namespaces` column (`esri="http://esri.com/xforms" enk=...`), as pyxform reads it:
 * an entry that is not `prefix=uri` is skipped, with a warning here; a standard prefix keeps its meaning.
 */
function declareNamespaces(ctx: Ctx, settings: Settings, entities: boolean): void {
  if (entities) ctx.namespaces.set('entities', ENTITIES_NS);
  const cell = settings.row?.cells.get('namespaces');
  for (const entry of cell?.value.trim().split(/\s+/) ?? []) {
    if (entry === '') continue;
    const parts = entry.split('=');
    const prefix = parts[0] ?? '';
    const uri = (parts[1] ?? '').replace(/["']/g, '');
    if (parts.length !== 2 || !XML_NAME.test(prefix) || /^xml/i.test(prefix) || uri === '') {
      ctx.warnings.push(
        issue(
          'xlsform.bad-namespace',
          settings.row?.sheet ?? 'settings',
          settings.row?.rowNumber ?? null,
          cell ?? null,
          `"${entry}" is not a namespace declaration (prefix="uri") and is ignored`,
        ),
      );
    } else if (!ctx.namespaces.has(prefix)) ctx.namespaces.set(prefix, uri);
  }
}

interface Emitted {
  settings: EmitSettings;
  xml: string;
  fields: FieldInfo[];
  entities: EntitiesSpec[];
  instanceName: string | null;
}

function emit(ctx: Ctx, settings: EmitSettings): Emitted {
  const state: EmitState = {
    settings,
    binds: [],
    modelActions: [],
    fields: [],
    entityPlan: planEntities(ctx, settings.entities),
    flatRelevant: new Map(),
    hasAudit: false,
    triggers: collectTriggers(ctx),
  };
  const body = new XmlElement('h:body');
  if (settings.style) body.attr('class', settings.style);
  for (const child of [...ctx.root.children]) bodyOf(ctx, state, child, body);
  if (ctx.issues.length > 0) return { settings, xml: '', fields: state.fields, entities: [], instanceName: null };

  const { blocks, specs: entities } = emitEntities(ctx, state);
  const primary = instanceNodes(ctx, ctx.root, false, blocks);
  primary.attr('id', settings.formId);
  if (settings.version) primary.attr('version', settings.version);
  const { meta, instanceName } = metaElement(ctx, state, blocks.get(ctx.root));
  primary.append(meta);

  const model = new XmlElement('model', { 'odk:xforms-version': '1.0.0' });
  if (entities.length > 0) model.attr('entities:entities-version', entitiesVersion(state.entityPlan.decls, ctx.root));
  if (settings.submissionUrl || settings.publicKey) {
    const submission = new XmlElement('submission');
    if (settings.submissionUrl) submission.attr('action', settings.submissionUrl);
    if (settings.publicKey) submission.attr('base64RsaPublicKey', settings.publicKey);
    submission.attr('method', 'post');
    model.append(submission);
  }
  const secondary = secondaryInstances(ctx);
  const itext = itextElement(ctx);
  if (itext) model.append(itext);
  model.append(new XmlElement('instance', {}, [primary]), ...secondary, ...state.binds, ...state.modelActions);

  const attrs: Record<string, string> = { ...NS };
  for (const [prefix, uri] of ctx.namespaces) attrs[`xmlns:${prefix}`] = uri;
  if (entities.length > 0) attrs['xmlns:entities'] = ENTITIES_NS;
  const html = new XmlElement('h:html', attrs, [
    new XmlElement('h:head', {}, [new XmlElement('h:title', {}, [settings.title]), model]),
    body,
  ]);
  const xml = `<?xml version="1.0"?>\n${html.toString()}\n`;
  return { settings, xml, fields: state.fields, entities, instanceName };
}
