import type { FormSummary } from '@outpost/core';
import { attribute, elementChildren, parseXml, textContent } from '@outpost/core';
import type { XmlNode } from '@outpost/core';
import { neutralizeFormula } from '../csv/csvField.js';

/** What a Darwin Core Archive says about itself (EML) and the terms a form does not carry. */
export interface DwcOptions {
  /** ISO 3166-1 alpha-2, e.g. `PG`. */
  readonly countryCode: string;
  readonly kingdom: string;
  readonly title: string;
  readonly description: string;
  readonly publisher: string;
  readonly licence: string;
  readonly contactEmail: string;
  readonly pubDate: string;
}

export const DWC = 'http://rs.tdwg.org/dwc/terms/';

/** The occurrence core's columns, in file order; `occurrenceID` is the row id. */
export const OCCURRENCE_TERMS = [
  'occurrenceID',
  'basisOfRecord',
  'scientificName',
  'eventDate',
  'decimalLatitude',
  'decimalLongitude',
  'geodeticDatum',
  'coordinateUncertaintyInMeters',
  'countryCode',
  'taxonRank',
  'kingdom',
  'individualCount',
  'occurrenceStatus',
  'dataGeneralizations',
] as const;

/** Where an observation form keeps each term: the fields by name, found in the field catalogue. */
export interface DwcFields {
  readonly scientificName: string;
  readonly eventDate: string;
  readonly basisOfRecord: string | null;
  readonly individualCount: string | null;
  readonly species: string | null;
  readonly location: string | null;
}

function byName(summary: FormSummary, names: readonly string[]): string | null {
  for (const name of names) {
    const field = summary.fields.find((f) => !f.repeat && (f.name === name || f.saveTo === name));
    if (field !== undefined) return field.path;
  }
  return null;
}

/** The form's Darwin Core fields, or the reason it cannot make an occurrence archive. */
export function dwcFields(summary: FormSummary): DwcFields | string {
  const scientificName = byName(summary, ['scientific_name', 'scientificName']);
  const eventDate = byName(summary, ['event_date', 'eventDate', 'observation_date']);
  if (scientificName === null || eventDate === null) {
    return `form ${summary.formId} has no scientific_name and event_date fields: a Darwin Core occurrence needs both`;
  }
  const location = summary.fields.find((f) => !f.repeat && f.type.split(/\s+/)[0] === 'geopoint')?.path ?? null;
  return {
    scientificName,
    eventDate,
    basisOfRecord: byName(summary, ['basis_of_record', 'basisOfRecord']),
    individualCount: byName(summary, ['individual_count', 'individualCount']),
    species: byName(summary, ['species']),
    location,
  };
}

/** Species codes whose choice row has `sensitive` = yes: their locations are generalised. */
export function sensitiveSpecies(xform: string): Set<string> {
  const out = new Set<string>();
  const visit = (node: XmlNode): void => {
    if (node.localName === 'instance' && attribute(node, 'id') === 'species') {
      const walk = (n: XmlNode): void => {
        if (n.localName === 'item') {
          const kids = elementChildren(n);
          const name = kids.find((k) => k.localName === 'name');
          const sensitive = kids.find((k) => k.localName === 'sensitive');
          if (name !== undefined && sensitive !== undefined && textContent(sensitive).trim() === 'yes') {
            out.add(textContent(name).trim());
          }
        }
        for (const k of elementChildren(n)) walk(k);
      };
      walk(node);
      return;
    }
    for (const child of elementChildren(node)) visit(child);
  };
  visit(parseXml(xform));
  return out;
}

/** Generalised positions: 0.1° cells, about 11 km, as GBIF's sensitive-species guidance suggests. */
const GENERALISED_DEGREES = 0.1;
const GENERALISED_UNCERTAINTY_M = 7850;

/** One occurrence row from a submission's values by path; null when it names no taxon. */
export function occurrenceRow(
  value: (path: string | null) => string,
  instanceId: string,
  fields: DwcFields,
  sensitive: ReadonlySet<string>,
  options: DwcOptions,
): string[] | null {
  const scientificName = value(fields.scientificName).trim();
  if (scientificName === '') return null;
  const [lat, lon, , accuracy] = value(fields.location).trim().split(/\s+/).map(Number);
  const hasPoint = Number.isFinite(lat) && Number.isFinite(lon) && value(fields.location).trim() !== '';
  const isSensitive = sensitive.has(value(fields.species));
  const round = (n: number | undefined): string =>
    n === undefined
      ? ''
      : isSensitive
        ? (Math.round(n / GENERALISED_DEGREES) * GENERALISED_DEGREES).toFixed(1)
        : String(n);
  const uncertainty = !hasPoint
    ? ''
    : isSensitive
      ? String(Math.max(GENERALISED_UNCERTAINTY_M, Number.isFinite(accuracy) ? Number(accuracy) : 0))
      : Number.isFinite(accuracy)
        ? String(accuracy)
        : '';
  const row: Record<(typeof OCCURRENCE_TERMS)[number], string> = {
    occurrenceID: instanceId,
    basisOfRecord: value(fields.basisOfRecord) || 'HumanObservation',
    scientificName,
    eventDate: value(fields.eventDate),
    decimalLatitude: hasPoint ? round(lat) : '',
    decimalLongitude: hasPoint ? round(lon) : '',
    geodeticDatum: hasPoint ? 'EPSG:4326' : '',
    coordinateUncertaintyInMeters: uncertainty,
    countryCode: options.countryCode,
    taxonRank: scientificName.split(/\s+/).length >= 2 ? 'species' : 'genus',
    kingdom: options.kingdom,
    individualCount: value(fields.individualCount),
    occurrenceStatus: 'present',
    dataGeneralizations:
      isSensitive && hasPoint ? 'Coordinates generalised to 0.1 degree (about 11 km): sensitive species' : '',
  };
  // occurrence.txt is opened in spreadsheets too: a typed `=...` must not run there.
  return OCCURRENCE_TERMS.map((term) => neutralizeFormula(row[term].replace(/[\t\r\n]+/g, ' ')));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** meta.xml: the occurrence core, tab-separated, one header line, every term named. */
export function metaXml(): string {
  const fields = OCCURRENCE_TERMS.map((term, i) => `    <field index="${i}" term="${DWC}${term}"/>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1" rowType="${DWC}Occurrence">
    <files><location>occurrence.txt</location></files>
    <id index="0"/>
${fields}
  </core>
</archive>
`;
}

/** eml.xml after GBIF's metadata profile: title, abstract, publisher, licence, contact, creator. */
export function emlXml(options: DwcOptions, packageId: string): string {
  const party = `<organizationName>${escapeXml(options.publisher)}</organizationName><electronicMailAddress>${escapeXml(options.contactEmail)}</electronicMailAddress>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="https://eml.ecoinformatics.org/eml-2.2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" packageId="${escapeXml(packageId)}" system="http://gbif.org" scope="system" xml:lang="en">
  <dataset>
    <title xml:lang="en">${escapeXml(options.title)}</title>
    <creator>${party}</creator>
    <metadataProvider>${party}</metadataProvider>
    <pubDate>${escapeXml(options.pubDate)}</pubDate>
    <language>en</language>
    <abstract><para>${escapeXml(options.description)}</para></abstract>
    <intellectualRights><para>${escapeXml(options.licence)}</para></intellectualRights>
    <contact>${party}</contact>
  </dataset>
</eml:eml>
`;
}
