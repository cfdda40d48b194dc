/** XML text and attribute escaping for the documents OpenRosa clients read. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface FormListEntry {
  formId: string;
  name: string;
  version: string;
  hash: string;
  downloadUrl: string;
  manifestUrl: string | null;
}

/** The OpenRosa Form List API document (`xforms` namespace), as ODK Central writes it. */
export function formListXml(forms: readonly FormListEntry[], verbose: boolean): string {
  const items = forms.map((f) =>
    [
      '  <xform>',
      `    <formID>${xmlEscape(f.formId)}</formID>`,
      `    <name>${xmlEscape(f.name)}</name>`,
      `    <version>${xmlEscape(f.version)}</version>`,
      `    <hash>${xmlEscape(f.hash)}</hash>`,
      ...(verbose ? [`    <descriptionText></descriptionText>`] : []),
      `    <downloadUrl>${xmlEscape(f.downloadUrl)}</downloadUrl>`,
      ...(f.manifestUrl === null ? [] : [`    <manifestUrl>${xmlEscape(f.manifestUrl)}</manifestUrl>`]),
      '  </xform>',
    ].join('\n'),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="http://openrosa.org/xforms/xformsList">\n${items.join('\n')}${items.length > 0 ? '\n' : ''}</xforms>\n`;
}

export interface MediaFileEntry {
  filename: string;
  hash: string;
  downloadUrl: string;
  /** Set for an entity list: Collect then asks `integrityUrl` which rows it holds are gone. */
  integrityUrl: string | null;
}

/** The OpenRosa manifest document of a form's media files. */
export function manifestXml(files: readonly MediaFileEntry[]): string {
  const items = files.map((f) =>
    [
      f.integrityUrl === null ? '  <mediaFile>' : '  <mediaFile type="entityList">',
      `    <filename>${xmlEscape(f.filename)}</filename>`,
      `    <hash>${xmlEscape(f.hash)}</hash>`,
      `    <downloadUrl>${xmlEscape(f.downloadUrl)}</downloadUrl>`,
      ...(f.integrityUrl === null ? [] : [`    <integrityUrl>${xmlEscape(f.integrityUrl)}</integrityUrl>`]),
      '  </mediaFile>',
    ].join('\n'),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="http://openrosa.org/xforms/xformsManifest">\n${items.join('\n')}${items.length > 0 ? '\n' : ''}</manifest>\n`;
}

/** The `OpenRosaResponse` body a submission is answered with. */
export function openRosaResponse(message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="http://openrosa.org/http/response" items="0">\n  <message nature="">${xmlEscape(message)}</message>\n</OpenRosaResponse>\n`;
}

/** The entity-list integrity document: which of the ids a device holds are gone from its reach. */
export function integrityXml(entries: readonly { id: string; deleted: boolean }[]): string {
  const items = entries.map(
    (e) => `    <entity id="${xmlEscape(e.id)}">\n      <deleted>${String(e.deleted)}</deleted>\n    </entity>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<data xmlns="http://www.opendatakit.org/xforms">\n  <entities>\n${items.join('\n')}${items.length > 0 ? '\n' : ''}  </entities>\n</data>\n`;
}
