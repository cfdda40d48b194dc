// Test support for forms with photo questions: an XForm compiled from survey rows, a photo
// question of an opened form, and the SHA-256 that says two photos are the same bytes.
import { createHash } from 'node:crypto';
import type { UploadNode } from '@getodk/xforms-engine';
import { compileXlsform, type Workbook } from '@outpost/core';
import { findNode, type OpenedForm } from '../openForm.js';

function sheet(name: string, rows: readonly (readonly string[])[]): Workbook['sheets'][number] {
  return {
    name,
    rows: rows.map((cells, i) => ({
      rowNumber: i + 1,
      cells: cells.flatMap((value, c) => (value === '' ? [] : [{ column: 'ABCDEFGH'[c] ?? 'Z', value }])),
    })),
  };
}

/** The XForm of a one-page form: `survey` rows (header first) and its title, id and version 1. */
export function compileSurvey(survey: readonly (readonly string[])[], title: string, formId: string): string {
  const compiled = compileXlsform({
    sheets: [
      sheet('survey', survey),
      sheet('settings', [
        ['form_title', 'form_id', 'version'],
        [title, formId, '1'],
      ]),
    ],
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.xform;
}

/** The photo (upload) question at `/data/<name>`. */
export function uploadNode(form: OpenedForm, name: string): UploadNode {
  const node = findNode(form.root, (n) => n.currentState.reference === `/data/${name}`);
  if (node?.nodeType !== 'upload') throw new Error(`no upload question ${name}`);
  return node;
}

export const sha256 = (bytes: ArrayBuffer | Uint8Array): string =>
  createHash('sha256')
    .update(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .digest('hex');
