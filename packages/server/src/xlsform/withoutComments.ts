import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

// Cell comments (notes) never matter to an XLSForm, but how a writer links them varies: a
// relationship may name its comments part relatively (`../comments1.xml`, as Excel and LibreOffice
// write it) or absolutely (`/xl/comments1.xml`, which OPC allows), and exceljs opens only the
// first. A workbook exceljs cannot open is read again without its comments.

const COMMENT_RELATIONSHIP = /<Relationship\b[^>]*\bType="[^"]*\/(?:comments|threadedComment)"[^>]*\/>/g;

/** The workbook without its comment parts and the sheet relationships to them; null when it has none. */
export function withoutComments(bytes: Uint8Array): Uint8Array | null {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    return null;
  }
  let changed = false;
  const kept: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) {
    if (/^xl\/(comments\d*\.xml|threadedComments\/)/i.test(name)) {
      changed = true;
      continue;
    }
    if (/^xl\/worksheets\/_rels\/[^/]+\.rels$/i.test(name)) {
      const text = strFromU8(content);
      const stripped = text.replace(COMMENT_RELATIONSHIP, '');
      if (stripped !== text) changed = true;
      kept[name] = strToU8(stripped);
      continue;
    }
    kept[name] = content;
  }
  return changed ? zipSync(kept) : null;
}
