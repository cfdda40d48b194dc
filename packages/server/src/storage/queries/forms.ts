import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { FormSummary } from '@outpost/core';
import type { FormsTable, FormVersionsTable } from '../schema.js';
import { keptRead } from '../store.js';
import type { Store } from '../store.js';

export type FormRow = Selectable<FormsTable>;

/** A form version as callers see it: the summary parsed, the workbook bytes left out. */
export interface StoredFormVersion {
  id: string;
  formId: string;
  xmlFormId: string;
  projectId: string;
  version: string;
  xform: string;
  summary: FormSummary;
  publishedBy: string | null;
  publishedAt: string;
}

type VersionRow = Omit<Selectable<FormVersionsTable>, 'xlsform'> & { xml_form_id: string; project_id: string };

const VERSION_COLUMNS = [
  'form_versions.id',
  'form_versions.form_id',
  'form_versions.version',
  'form_versions.xform',
  'form_versions.summary',
  'form_versions.published_by',
  'form_versions.published_at',
  'forms.xml_form_id',
  'forms.project_id',
] as const;

function parseVersion(row: VersionRow): StoredFormVersion {
  return {
    id: row.id,
    formId: row.form_id,
    xmlFormId: row.xml_form_id,
    projectId: row.project_id,
    version: row.version,
    xform: row.xform,
    summary: JSON.parse(row.summary) as FormSummary,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
  };
}

function versions(store: Store) {
  return store.db.selectFrom('form_versions').innerJoin('forms', 'forms.id', 'form_versions.form_id');
}

export async function findForm(projectId: string, xmlFormId: string, store: Store): Promise<FormRow | undefined> {
  return store.db
    .selectFrom('forms')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('xml_form_id', '=', xmlFormId)
    .executeTakeFirst();
}

/** The project's form with this form_id, created (with `title`) on first use; the title follows the latest publish. */
export async function ensureForm(
  input: { projectId: string; xmlFormId: string; title: string; at: string },
  store: Store,
): Promise<FormRow> {
  await store.db
    .insertInto('forms')
    .values({
      id: randomUUID(),
      project_id: input.projectId,
      xml_form_id: input.xmlFormId,
      title: input.title,
      created_at: input.at,
    })
    .onConflict((oc) => oc.columns(['project_id', 'xml_form_id']).doUpdateSet({ title: input.title }))
    .execute();
  const form = await findForm(input.projectId, input.xmlFormId, store);
  if (form === undefined) throw new Error(`form ${input.xmlFormId} vanished after creation`);
  return form;
}

/**
 * Published form versions never change (no query updates or deletes a form_versions row), so the
 * parsed version is kept by its id: a lookup reads the id only, and the XForm and summary (tens of
 * kilobytes, read and parsed twice per submission before) only the first time. Ids are random
 * UUIDs, so one cache serves every store of the process. Bounded; the oldest entry goes first.
 */
const parsedVersions = new Map<string, StoredFormVersion>();
const PARSED_VERSIONS_KEPT = 64;

export async function findFormVersion(
  projectId: string,
  xmlFormId: string,
  version: string,
  store: Store,
): Promise<StoredFormVersion | undefined> {
  const found = await keptRead(store, `formVersionId|${JSON.stringify([projectId, xmlFormId, version])}`, () =>
    versions(store)
      .select('form_versions.id')
      .where('forms.project_id', '=', projectId)
      .where('forms.xml_form_id', '=', xmlFormId)
      .where('form_versions.version', '=', version)
      .executeTakeFirst(),
  );
  if (found === undefined) return undefined;
  const kept = parsedVersions.get(found.id);
  if (kept !== undefined) return kept;
  const row = await versions(store).select(VERSION_COLUMNS).where('form_versions.id', '=', found.id).executeTakeFirst();
  if (row === undefined) return undefined;
  const parsed = Object.freeze(parseVersion(row));
  if (parsedVersions.size >= PARSED_VERSIONS_KEPT) parsedVersions.delete(parsedVersions.keys().next().value as string);
  parsedVersions.set(found.id, parsed);
  return parsed;
}

/** The form id and version string of a stored form version (by its id); undefined when none. */
export async function formVersionKey(
  formVersionId: string,
  store: Store,
): Promise<{ xml_form_id: string; version: string } | undefined> {
  return store.db
    .selectFrom('form_versions')
    .innerJoin('forms', 'forms.id', 'form_versions.form_id')
    .select(['forms.xml_form_id', 'form_versions.version'])
    .where('form_versions.id', '=', formVersionId)
    .executeTakeFirst();
}

/** The XLSForm workbook a version was published from, byte for byte; undefined when none is kept. */
export async function findFormXlsform(
  projectId: string,
  xmlFormId: string,
  version: string,
  store: Store,
): Promise<Uint8Array | undefined> {
  const row = await versions(store)
    .select('form_versions.xlsform')
    .where('forms.project_id', '=', projectId)
    .where('forms.xml_form_id', '=', xmlFormId)
    .where('form_versions.version', '=', version)
    .executeTakeFirst();
  return row?.xlsform ?? undefined;
}

export async function insertFormVersion(
  input: {
    formId: string;
    version: string;
    xlsform: Uint8Array | null;
    xform: string;
    summary: FormSummary;
    publishedBy: string | null;
    at: string;
  },
  store: Store,
): Promise<string> {
  const id = randomUUID();
  await store.db
    .insertInto('form_versions')
    .values({
      id,
      form_id: input.formId,
      version: input.version,
      xlsform: input.xlsform,
      xform: input.xform,
      summary: JSON.stringify(input.summary),
      published_by: input.publishedBy,
      published_at: input.at,
    })
    .execute();
  return id;
}

/** Versions of one form, newest first. */
export async function listFormVersions(formId: string, store: Store): Promise<StoredFormVersion[]> {
  const rows = await versions(store)
    .select(VERSION_COLUMNS)
    .where('form_versions.form_id', '=', formId)
    .orderBy('form_versions.published_at', 'desc')
    .orderBy('form_versions.id', 'desc')
    .execute();
  return rows.map(parseVersion);
}

/** Every version of every form in the project, newest first within each form. */
export async function listProjectFormVersions(projectId: string, store: Store): Promise<StoredFormVersion[]> {
  const rows = await versions(store)
    .select(VERSION_COLUMNS)
    .where('forms.project_id', '=', projectId)
    .orderBy('forms.xml_form_id')
    .orderBy('form_versions.published_at', 'desc')
    .orderBy('form_versions.id', 'desc')
    .execute();
  return rows.map(parseVersion);
}

export async function listForms(projectId: string, store: Store): Promise<FormRow[]> {
  return store.db.selectFrom('forms').selectAll().where('project_id', '=', projectId).orderBy('xml_form_id').execute();
}

export interface EntityListRow {
  id: string;
  label: string;
  version: number;
  properties: Record<string, string>;
}

/**
 * The live entities of one list, in creation order, for a form attachment; `areaIds` limits them
 * to a member's area subtree (null: all).
 */
export async function entitiesForAttachment(
  listId: string,
  areaIds: readonly string[] | null,
  store: Store,
): Promise<EntityListRow[]> {
  if (areaIds !== null && areaIds.length === 0) return [];
  let query = store.db
    .selectFrom('entities')
    .select(['id', 'label', 'version', 'properties'])
    .where('list_id', '=', listId)
    .where('deleted_at', 'is', null);
  if (areaIds !== null) query = query.where('area_id', 'in', [...areaIds]);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    ...r,
    version: Number(r.version),
    properties: JSON.parse(r.properties) as Record<string, string>,
  }));
}

/** The names of a project's entity lists. */
export async function entityListNames(projectId: string, store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('entity_lists')
    .select('name')
    .where('project_id', '=', projectId)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

export async function findEntityListByName(
  projectId: string,
  name: string,
  store: Store,
): Promise<{ id: string; name: string } | undefined> {
  return store.db
    .selectFrom('entity_lists')
    .select(['id', 'name'])
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .executeTakeFirst();
}
