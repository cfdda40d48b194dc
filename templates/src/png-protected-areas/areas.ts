import type { Area } from '../area.js';

/**
 * The 22 provinces of Papua New Guinea (ISO 3166-2:PG) and the protected areas of domain.md §5.2
 * whose province a source names. See templates/png-protected-areas/SOURCES.md.
 */
export const areaListVersion = 'pg-pa-2026.1';

const provinces: Array<[code: string, en: string]> = [
  ['PG-CPK', 'Chimbu (Simbu)'],
  ['PG-CPM', 'Central'],
  ['PG-EBR', 'East New Britain'],
  ['PG-EHG', 'Eastern Highlands'],
  ['PG-EPW', 'Enga'],
  ['PG-ESW', 'East Sepik'],
  ['PG-GPK', 'Gulf'],
  ['PG-HLA', 'Hela'],
  ['PG-JWK', 'Jiwaka'],
  ['PG-MBA', 'Milne Bay'],
  ['PG-MPL', 'Morobe'],
  ['PG-MPM', 'Madang'],
  ['PG-MRL', 'Manus'],
  ['PG-NCD', 'National Capital District'],
  ['PG-NIK', 'New Ireland'],
  ['PG-NPP', 'Northern (Oro)'],
  ['PG-NSB', 'Autonomous Region of Bougainville'],
  ['PG-SAN', 'West Sepik (Sandaun)'],
  ['PG-SHM', 'Southern Highlands'],
  ['PG-WBK', 'West New Britain'],
  ['PG-WHM', 'Western Highlands'],
  ['PG-WPD', 'Western'],
];

export interface ProtectedAreaFacts {
  code: string;
  province: string;
  name: string;
  designation: string;
  /** Approximate centre (latitude, longitude) for demo data only; real boundaries come from WDPA. */
  centre: readonly [number, number];
}

export const protectedAreas: ProtectedAreaFacts[] = [
  {
    code: 'PA-VARIRATA',
    province: 'PG-CPM',
    name: 'Varirata National Park',
    designation: 'national_park',
    centre: [-9.44, 147.37],
  },
  {
    code: 'PA-MCADAM',
    province: 'PG-MPL',
    name: 'McAdam National Park',
    designation: 'national_park',
    centre: [-7.33, 146.62],
  },
  {
    code: 'PA-YUS',
    province: 'PG-MPL',
    name: 'YUS Conservation Area',
    designation: 'conservation_area',
    centre: [-5.95, 146.75],
  },
  {
    code: 'PA-TONDA',
    province: 'PG-WPD',
    name: 'Tonda Wildlife Management Area',
    designation: 'wma',
    centre: [-8.5, 141.5],
  },
  {
    code: 'PA-MAZA',
    province: 'PG-WPD',
    name: 'Maza Wildlife Management Area',
    designation: 'wma',
    centre: [-9.1, 142.6],
  },
  {
    code: 'PA-KUTUBU',
    province: 'PG-SHM',
    name: 'Lake Kutubu Wildlife Management Area',
    designation: 'wma',
    centre: [-6.4, 143.33],
  },
  {
    code: 'PA-CROWN-ISLAND',
    province: 'PG-MPM',
    name: 'Crown Island Wildlife Management Area',
    designation: 'wma',
    centre: [-5.08, 146.57],
  },
  {
    code: 'PA-RANBA',
    province: 'PG-MPM',
    name: 'Ranba (Long Island) Wildlife Management Area',
    designation: 'wma',
    centre: [-5.33, 147.05],
  },
  {
    code: 'PA-NDROLOWA',
    province: 'PG-MRL',
    name: 'Ndrolowa Wildlife Management Area',
    designation: 'wma',
    centre: [-2.08, 147.3],
  },
  {
    code: 'PA-TAVOLO',
    province: 'PG-EBR',
    name: 'Tavolo Wildlife Management Area',
    designation: 'wma',
    centre: [-5.35, 151.6],
  },
  {
    code: 'PA-TORRICELLI',
    province: 'PG-SAN',
    name: 'Torricelli Mountain Range Conservation Area',
    designation: 'conservation_area',
    centre: [-3.45, 142.1],
  },
  {
    code: 'PA-MANAGALAS',
    province: 'PG-NPP',
    name: 'Managalas Conservation Area',
    designation: 'conservation_area',
    centre: [-9.1, 148.3],
  },
  {
    code: 'PA-PATANGA',
    province: 'PG-WBK',
    name: 'Patanga Locally Managed Marine Area',
    designation: 'lmma',
    centre: [-5.4, 150.15],
  },
];

/** Rough boxes [south, north, west, east] around the provinces that hold the protected areas above. */
export const provinceBoxes: Record<string, readonly [number, number, number, number]> = {
  'PG-CPM': [-10.3, -7.9, 146.0, 149.6],
  'PG-MPL': [-8.3, -5.5, 145.6, 148.3],
  'PG-WPD': [-9.4, -5.0, 140.8, 143.8],
  'PG-SHM': [-7.0, -5.8, 142.7, 144.2],
  'PG-MPM': [-6.0, -3.8, 144.0, 147.4],
  'PG-MRL': [-3.0, -1.4, 145.9, 147.9],
  'PG-EBR': [-6.6, -4.1, 150.8, 152.5],
  'PG-SAN': [-4.6, -2.5, 140.8, 142.9],
  'PG-NPP': [-9.9, -8.0, 147.2, 149.2],
  'PG-WBK': [-6.5, -4.9, 148.3, 151.0],
};

export const areas: Area[] = [
  ...provinces.map(([code, en]): Area => ({ code, parentCode: null, level: 'province', name: { en, tpi: en } })),
  ...protectedAreas.map((pa): Area => ({
    code: pa.code,
    parentCode: pa.province,
    level: 'protected_area',
    name: { en: pa.name, tpi: pa.name },
  })),
];
