import type { Language } from '../i18n/createI18n.js';

// MapLibre's own words (its controls' titles and aria-labels, the scale's units, the cooperative
// gestures hint) in our languages, given to the map as its `locale`; and the words of a basemap's
// attribution. Keys are MapLibre's (`src/ui/default_locale.ts` of maplibre-gl 5): a key missing
// here would fall back to MapLibre's English, so every language has them all (mapText.test.ts).
const en = {
  'AttributionControl.ToggleAttribution': 'Show or hide where the map comes from',
  'AttributionControl.MapFeedback': 'Report a mistake on the map',
  'FullscreenControl.Enter': 'Full screen',
  'FullscreenControl.Exit': 'Leave full screen',
  'GeolocateControl.FindMyLocation': 'Find my location',
  'GeolocateControl.LocationNotAvailable': 'The location is not available',
  'LogoControl.Title': 'Map drawn with MapLibre',
  'Map.Title': 'Map',
  'Marker.Title': 'Point on the map',
  'NavigationControl.ResetBearing': 'Turn the map back to north',
  'NavigationControl.ZoomIn': 'Zoom in',
  'NavigationControl.ZoomOut': 'Zoom out',
  'Popup.Close': 'Close',
  'ScaleControl.Feet': 'ft',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
  'ScaleControl.Miles': 'mi',
  'ScaleControl.NauticalMiles': 'nmi',
  'GlobeControl.Enable': 'Show as a globe',
  'GlobeControl.Disable': 'Show as a flat map',
  'TerrainControl.Enable': 'Show the terrain',
  'TerrainControl.Disable': 'Hide the terrain',
  'CooperativeGesturesHandler.WindowsHelpText': 'Hold Ctrl and scroll to zoom the map',
  'CooperativeGesturesHandler.MacHelpText': 'Hold ⌘ and scroll to zoom the map',
  'CooperativeGesturesHandler.MobileHelpText': 'Use two fingers to move the map',
} as const;

export type MapLibreTextKey = keyof typeof en;
type Catalog = Readonly<Record<MapLibreTextKey, string>>;

const mn: Catalog = {
  'AttributionControl.ToggleAttribution': 'Газрын зургийн эх сурвалжийг харуулах эсвэл нуух',
  'AttributionControl.MapFeedback': 'Газрын зураг дээрх алдааг мэдэгдэх',
  'FullscreenControl.Enter': 'Бүтэн дэлгэцээр',
  'FullscreenControl.Exit': 'Бүтэн дэлгэцээс гарах',
  'GeolocateControl.FindMyLocation': 'Миний байршлыг олох',
  'GeolocateControl.LocationNotAvailable': 'Байршил тодорхойгүй байна',
  'LogoControl.Title': 'Газрын зургийг МапЛибрээр зурсан',
  'Map.Title': 'Газрын зураг',
  'Marker.Title': 'Газрын зураг дээрх цэг',
  'NavigationControl.ResetBearing': 'Газрын зургийг хойд зүг рүү эргүүлэх',
  'NavigationControl.ZoomIn': 'Томруулах',
  'NavigationControl.ZoomOut': 'Жижигрүүлэх',
  'Popup.Close': 'Хаах',
  'ScaleControl.Feet': 'фт',
  'ScaleControl.Meters': 'м',
  'ScaleControl.Kilometers': 'км',
  'ScaleControl.Miles': 'миль',
  'ScaleControl.NauticalMiles': 'далайн миль',
  'GlobeControl.Enable': 'Бөмбөрцгөөр харуулах',
  'GlobeControl.Disable': 'Хавтгай зургаар харуулах',
  'TerrainControl.Enable': 'Гадаргын хотгор гүдгэрийг харуулах',
  'TerrainControl.Disable': 'Гадаргын хотгор гүдгэрийг нуух',
  'CooperativeGesturesHandler.WindowsHelpText': 'Газрын зургийг томруулахын тулд Ктрл товчийг дарж гүйлгэнэ үү',
  'CooperativeGesturesHandler.MacHelpText': 'Газрын зургийг томруулахын тулд ⌘ товчийг дарж гүйлгэнэ үү',
  'CooperativeGesturesHandler.MobileHelpText': 'Газрын зургийг хоёр хуруугаар зөөнө үү',
};

const tpi: Catalog = {
  'AttributionControl.ToggleAttribution': 'Soim o haitim we map i kam long en',
  'AttributionControl.MapFeedback': 'Tokaut long rong long map',
  'FullscreenControl.Enter': 'Pulap olgeta skrin',
  'FullscreenControl.Exit': 'Lusim olgeta skrin',
  'GeolocateControl.FindMyLocation': 'Painim ples mi stap long en',
  'GeolocateControl.LocationNotAvailable': 'Ples i no stap',
  'LogoControl.Title': 'MapLibre i droim map',
  'Map.Title': 'Map',
  'Marker.Title': 'Poin long map',
  'NavigationControl.ResetBearing': 'Tanim map i go bek long not',
  'NavigationControl.ZoomIn': 'Mekim i kamap bikpela',
  'NavigationControl.ZoomOut': 'Mekim i kamap liklik',
  'Popup.Close': 'Pinisim',
  'ScaleControl.Feet': 'ft',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
  'ScaleControl.Miles': 'mi',
  'ScaleControl.NauticalMiles': 'nmi',
  'GlobeControl.Enable': 'Soim olsem raun graun',
  'GlobeControl.Disable': 'Soim olsem plet map',
  'TerrainControl.Enable': 'Soim ol maunten na ples daun',
  'TerrainControl.Disable': 'Haitim ol maunten na ples daun',
  'CooperativeGesturesHandler.WindowsHelpText': 'Holim Ctrl na skrolim bilong mekim map i kamap bikpela',
  'CooperativeGesturesHandler.MacHelpText': 'Holim ⌘ na skrolim bilong mekim map i kamap bikpela',
  'CooperativeGesturesHandler.MobileHelpText': 'Usim tupela pinga bilong muvim map',
};

const catalogs: Readonly<Record<Language, Catalog>> = { en, mn, tpi };

/** The `locale` option of a MapLibre map in the app's language. */
export function mapLibreLocale(language: Language): Record<string, string> {
  return { ...catalogs[language] };
}

export const mapLibreCatalogs = catalogs;
