import type { Language } from '../i18n/createI18n.js';

// The map's own texts, kept beside it until they move into the app catalogs (i18n/ is shared with
// other work in progress); same shape and placeholder rules as those catalogs.
const en = {
  'map.attribution': 'Background map: {licence}',
  'map.licence.cc0': 'free for any use ({id})',
  'map.licence.ccBy': 'free to use when its source is named ({id})',
  'map.licence.odbl': '© {brand} contributors ({id})',
  'map.label': 'Map. Tap to add a point; drag a point to move it. The point list below does the same.',
  'map.labelReadonly': 'Map of the location',
  'map.vertex': 'Point {number}',
  'map.loading': 'Loading the map…',
  'map.failed': 'The map could not be shown. Use the point list below.',
  'map.noWebGl': 'This device cannot draw maps (no WebGL). Use the point list below.',
  'map.show': 'Show on the map',
  'map.hide': 'Hide the map',
  'map.undo': 'Undo the last point',
  'map.pointList': 'Points',
  'map.area': 'Area {area}',
  'map.needsTwo': 'A line needs at least 2 points; it is not saved until then.',
  'map.needsThree': 'A shape needs at least 3 points; it is not saved until then.',
  'map.length': 'Length {length}',
  'map.group': '{count} points here: tap to zoom in',
  'map.noBasemap': 'No background map on this device: the grid shows degrees of latitude and longitude.',
  'unit.squareMetres': '{value} m²',
  'unit.hectares': '{value} ha',
  'unit.metres': '{value} m',
  'unit.kilometres': '{value} km',
} as const;

export type MapTextKey = keyof typeof en;
type Catalog = Readonly<Record<MapTextKey, string>>;

const mn: Catalog = {
  'map.attribution': 'Суурь зураг: {licence}',
  'map.licence.cc0': 'ямар ч зорилгоор чөлөөтэй ашиглана ({id})',
  'map.licence.ccBy': 'эх сурвалжийг нэрлэн чөлөөтэй ашиглана ({id})',
  'map.licence.odbl': '© {brand}-ын оролцогчид ({id})',
  'map.label': 'Газрын зураг. Цэг нэмэхийн тулд дарна уу; цэгийг чирж зөөнө. Доорх жагсаалтаар мөн адил хийж болно.',
  'map.labelReadonly': 'Байршлын газрын зураг',
  'map.vertex': '{number}-р цэг',
  'map.loading': 'Газрын зургийг ачаалж байна…',
  'map.failed': 'Газрын зургийг харуулж чадсангүй. Доорх цэгийн жагсаалтыг ашиглана уу.',
  'map.noWebGl':
    'Энэ төхөөрөмж газрын зураг зурах боломжгүй (график дэмжлэг алга). Доорх цэгийн жагсаалтыг ашиглана уу.',
  'map.show': 'Газрын зураг дээр харуулах',
  'map.hide': 'Газрын зургийг нуух',
  'map.undo': 'Сүүлийн цэгийг буцаах',
  'map.pointList': 'Цэгүүд',
  'map.area': 'Талбай {area}',
  'map.needsTwo': 'Шугам дор хаяж 2 цэгтэй байна; түүнээс өмнө хадгалагдахгүй.',
  'map.needsThree': 'Талбай дор хаяж 3 цэгтэй байна; түүнээс өмнө хадгалагдахгүй.',
  'map.length': 'Урт {length}',
  'map.group': 'Энд {count} цэг байна: томруулахын тулд дарна уу',
  'map.noBasemap': 'Энэ төхөөрөмжид суурь зураг алга: торон шугам нь өргөрөг, уртрагийн градусыг харуулна.',
  'unit.squareMetres': '{value} м²',
  'unit.hectares': '{value} га',
  'unit.metres': '{value} м',
  'unit.kilometres': '{value} км',
};

const tpi: Catalog = {
  'map.attribution': 'Map aninit: {licence}',
  'map.licence.cc0': 'fri long olgeta wok ({id})',
  'map.licence.ccBy': 'fri long usim sapos yu kolim we em i kam long en ({id})',
  'map.licence.odbl': '© ol lain bilong {brand} ({id})',
  'map.label': 'Map. Presim bilong putim poin; pulim poin bilong muvim. Lis aninit i mekim wankain.',
  'map.labelReadonly': 'Map bilong ples',
  'map.vertex': 'Poin {number}',
  'map.loading': 'Map i kam…',
  'map.failed': 'Map i no inap kamap. Usim lis bilong ol poin aninit.',
  'map.noWebGl': 'Dispela masin i no inap soim map (i no gat WebGL). Usim lis bilong ol poin aninit.',
  'map.show': 'Soim long map',
  'map.hide': 'Haitim map',
  'map.undo': 'Rausim laspela poin',
  'map.pointList': 'Ol poin',
  'map.area': 'Eria {area}',
  'map.needsTwo': 'Lain i mas gat 2 poin o moa; i no seivim pastaim.',
  'map.needsThree': 'Eria i mas gat 3 poin o moa; i no seivim pastaim.',
  'map.length': 'Longpela {length}',
  'map.group': '{count} poin i stap hia: presim bilong kamap bikpela',
  'map.noBasemap': 'I no gat map aninit long dispela masin: ol lain i soim latitud na longitud.',
  'unit.squareMetres': '{value} m²',
  'unit.hectares': '{value} ha',
  'unit.metres': '{value} m',
  'unit.kilometres': '{value} km',
};

const catalogs: Readonly<Record<Language, Catalog>> = { en, mn, tpi };

export type MapText = (key: MapTextKey, params?: Readonly<Record<string, string | number>>) => string;

export function mapText(language: Language): MapText {
  const catalog = catalogs[language];
  return (key, params = {}) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
}

/** "850 m²" under a hectare, "12.5 ha" above, in the units of the language. */
export function formatArea(squareMetres: number, text: MapText): string {
  if (squareMetres < 10_000) return text('unit.squareMetres', { value: Math.round(squareMetres) });
  const hectares = squareMetres / 10_000;
  return text('unit.hectares', { value: hectares.toFixed(hectares < 100 ? 2 : 0) });
}

/** "75 m" under a kilometre, "1.24 km" above. */
export function formatLength(metres: number, text: MapText): string {
  if (metres < 1000) return text('unit.metres', { value: Math.round(metres) });
  return text('unit.kilometres', { value: (metres / 1000).toFixed(2) });
}

export const mapCatalogs = catalogs;
