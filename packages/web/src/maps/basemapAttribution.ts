import type { MapText } from './mapText.js';

// The words of a basemap's attribution in the app's language. The archive's metadata names its
// licence (`attribution`, e.g. "Outpost demo shapes (CC0-1.0)" or an OpenStreetMap notice); a
// licence we know is said with catalog words, any other attribution is shown as the archive gives
// it (its own words, like a form's labels), never as markup.

const licences: ReadonlyArray<{
  readonly pattern: RegExp;
  readonly id: string;
  readonly words: 'cc0' | 'ccBy' | 'odbl';
}> = [
  { pattern: /\bCC0(?:[- ]1\.0)?\b/i, id: 'CC0-1.0', words: 'cc0' },
  { pattern: /\bCC[- ]BY[- ]4\.0\b/i, id: 'CC-BY-4.0', words: 'ccBy' },
  { pattern: /\bODbL\b|OpenStreetMap/i, id: 'ODbL', words: 'odbl' },
];

/** The text of the metadata's attribution: tags dropped, entities read, spaces collapsed. */
function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&copy;/gi, '©')
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the attribution says, in words; null when the archive names no source. */
export function attributionText(metadataAttribution: unknown, text: MapText): string | null {
  if (typeof metadataAttribution !== 'string') return null;
  const given = plainText(metadataAttribution);
  if (given === '') return null;
  const licence = licences.find((l) => l.pattern.test(given));
  const words =
    licence === undefined ? given : text(`map.licence.${licence.words}`, { id: licence.id, brand: 'OpenStreetMap' });
  return text('map.attribution', { licence: words });
}

/** The same as markup for MapLibre's attribution control (which sets it as HTML). */
export function attributionHtml(metadataAttribution: unknown, text: MapText): string | undefined {
  const words = attributionText(metadataAttribution, text);
  return words === null ? undefined : escapeHtml(words);
}
