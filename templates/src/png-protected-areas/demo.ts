import type { DemoData, DemoEntity, DemoOptions } from '../demo/demoData.js';
import type { SeededRandom } from '../demo/seededRandom.js';
import { DAY_MS, DEMO_REFERENCE_DATE, daysBefore, isoDate, isoTime, seededRandom } from '../demo/seededRandom.js';
import type { ProtectedAreaFacts } from './areas.js';
import { areaListVersion, areas, protectedAreas, provinceBoxes } from './areas.js';
import { incidentTypes } from './choices.js';
import { species, typicalSpecies } from './species.js';

const PA_FACTS: Record<string, { ownership: string; sizeHa?: number; established?: number }> = {
  'PA-TONDA': { ownership: 'customary', sizeHa: 590_000 },
  'PA-MAZA': { ownership: 'customary', sizeHa: 184_230 },
  'PA-CROWN-ISLAND': { ownership: 'customary', sizeHa: 58_969 },
  'PA-RANBA': { ownership: 'customary', sizeHa: 15_724 },
  'PA-NDROLOWA': { ownership: 'customary', sizeHa: 5_850 },
  'PA-YUS': { ownership: 'customary', established: 2009 },
  'PA-MANAGALAS': { ownership: 'customary', sizeHa: 360_000 },
};

/** A point near the protected area, kept inside its province's rough box. */
function pointNear(random: SeededRandom, pa: ProtectedAreaFacts): [number, number] {
  const box = provinceBoxes[pa.province];
  const [lat0, lon0] = pa.centre;
  let lat = lat0 + (random.next() - 0.5) * 0.16;
  let lon = lon0 + (random.next() - 0.5) * 0.16;
  if (box !== undefined) {
    const [south, north, west, east] = box;
    lat = Math.min(north - 0.01, Math.max(south + 0.01, lat));
    lon = Math.min(east - 0.01, Math.max(west + 0.01, lon));
  }
  return [lat, lon];
}

function geopoint(random: SeededRandom, [lat, lon]: [number, number]): string {
  return `${lat.toFixed(6)} ${lon.toFixed(6)} ${random.int(5, 1800)} ${random.int(3, 25)}`;
}

function protectedAreaEntity(random: SeededRandom, pa: ProtectedAreaFacts): DemoEntity {
  const createdMs = daysBefore(random, 30) - 400 * DAY_MS;
  const facts = PA_FACTS[pa.code];
  const properties: Record<string, string> = {
    pa_name: pa.name,
    province: pa.province,
    pa_code: pa.code,
    designation: pa.designation,
    ownership:
      facts?.ownership ??
      random.weighted([
        ['customary', 9],
        ['state', 1],
      ] as const),
    management_authority: pa.designation === 'national_park' ? 'CEPA' : 'Landowner management committee',
    geometry: `${pa.centre[0]} ${pa.centre[1]} 0 1000`,
  };
  if (facts?.sizeHa !== undefined) properties['size_ha'] = String(facts.sizeHa);
  if (facts?.established !== undefined) properties['established_year'] = String(facts.established);
  return {
    list: 'protected_areas',
    id: random.uuid(),
    label: pa.name,
    properties,
    areaCode: pa.code,
    status: 'active',
    categories: [pa.designation],
    createdAt: isoTime(createdMs),
    updatedAt: isoTime(createdMs),
  };
}

const INCIDENT_WEIGHTS = [
  ['poaching', 25],
  ['illegal_logging', 22],
  ['encroachment', 15],
  ['fire', 10],
  ['illegal_fishing', 8],
  ['wildlife_trade', 6],
  ['illegal_mining', 5],
  ['pollution', 4],
  ['vandalism', 3],
  ['threat_to_rangers', 2],
] as const;

const DESCRIPTIONS: Record<string, string[]> = {
  poaching: [
    'Fresh snares found along the ridge path.',
    'Hunters with dogs seen near the river crossing.',
    'Shotgun cartridges and a carcass found at the salt lick.',
  ],
  wildlife_trade: [
    'Feathers offered for sale at the roadside market.',
    'Live birds kept in cages at a village near the boundary.',
  ],
  illegal_logging: [
    'Chainsaw heard; freshly cut stumps inside the boundary.',
    'Pit-sawn planks stacked beside the track.',
    'New logging road pushed past the boundary marker.',
  ],
  illegal_fishing: ['Small-mesh nets set across the reef passage.', 'Dead fish after suspected use of poison.'],
  illegal_mining: ['Alluvial gold panning in the creek; water turbid downstream.'],
  encroachment: ['New garden cleared inside the protected area.', 'Two houses built beyond the agreed boundary.'],
  fire: ['Grass fire spread from a garden into the forest edge.', 'Burnt area along the ridge after a dry week.'],
  pollution: ['Oil sheen on the river below the road camp.', 'Rubbish dumped at the picnic area.'],
  vandalism: ['Boundary sign torn down and burnt.', 'Ranger hut door broken.'],
  threat_to_rangers: ['Rangers threatened when asking loggers for their permit.'],
};

function speciesFor(random: SeededRandom, pa: ProtectedAreaFacts): string {
  const typical = typicalSpecies[pa.code];
  if (typical !== undefined && random.chance(0.75)) return random.pick(typical);
  return random.pick(species).code;
}

function incidentEntity(random: SeededRandom, index: number): DemoEntity {
  const pa = random.weighted(protectedAreas.map((p) => [p, p.code === 'PA-VARIRATA' ? 4 : 1] as const));
  const type = random.weighted(INCIDENT_WEIGHTS);
  const createdMs = daysBefore(random, 540);
  const ageDays = (DEMO_REFERENCE_DATE - createdMs) / DAY_MS;
  const status =
    ageDays > 180
      ? random.weighted([
          ['closed', 6],
          ['in_court', 1],
          ['referred_to_police', 1],
        ] as const)
      : random.weighted([
          ['open', 4],
          ['under_investigation', 3],
          ['referred_to_police', 2],
          ['closed', 1],
        ] as const);
  const date = isoDate(createdMs);
  const properties: Record<string, string> = {
    protected_area: pa.code,
    incident_date: date,
    incident_type: type,
    severity: random.weighted([
      ['low', 4],
      ['medium', 4],
      ['high', 2],
    ] as const),
    description: random.pick(DESCRIPTIONS[type] ?? ['See report.']),
    geometry: geopoint(random, pointNear(random, pa)),
    action_taken: random.weighted([
      ['none', 3],
      ['warned', 3],
      ['confiscated', 2],
      ['destroyed_snares', type === 'poaching' ? 4 : 0],
      ['reported_police', 2],
      ['confiscated reported_police', 1],
      ['unsuccessful_pursuit', 1],
    ] as const),
    incident_status: status,
  };
  if (type === 'poaching' || type === 'wildlife_trade') properties['species'] = speciesFor(random, pa);
  if (type === 'poaching')
    properties['method'] = random.weighted([
      ['snare', 4],
      ['dogs', 3],
      ['gun', 2],
      ['spear', 1],
    ] as const);
  if (type === 'illegal_logging') properties['method'] = 'chainsaw';
  if (type === 'illegal_fishing') properties['method'] = random.pick(['small_mesh_net', 'poison', 'explosives']);
  const updatedMs =
    status === 'open' ? createdMs : createdMs + Math.floor(random.next() * Math.min(ageDays, 120) * DAY_MS);
  return {
    list: 'incidents',
    id: random.uuid(),
    // As the incident form labels it (its default language): the type's words, not its code.
    label: `${incidentTypes.find((c) => c.name === type)?.label['en'] ?? type} ${date}`,
    properties,
    areaCode: pa.code,
    status,
    categories: [type],
    createdAt: isoTime(createdMs + index),
    updatedAt: isoTime(updatedMs + index),
  };
}

function observationEntity(random: SeededRandom, index: number): DemoEntity {
  const pa = random.weighted(protectedAreas.map((p) => [p, typicalSpecies[p.code] === undefined ? 1 : 3] as const));
  const code = speciesFor(random, pa);
  const sp = species.find((s) => s.code === code);
  const scientificName = sp?.scientificName ?? code;
  const evidence = random.weighted([
    ['sighting', 5],
    ['call', 3],
    ['tracks', 1],
    ['dung', 1],
    ['camera_trap', 2],
    ['nest', 0.5],
  ] as const);
  const count =
    evidence === 'sighting'
      ? random.weighted([
          [1, 6],
          [2, 3],
          [random.int(3, 8), 1],
        ] as const)
      : 1;
  const createdMs = daysBefore(random, 540);
  return {
    list: 'observations',
    id: random.uuid(),
    label: `${scientificName} x${count}`,
    properties: {
      protected_area: pa.code,
      event_date: isoDate(createdMs),
      species: code,
      scientific_name: scientificName,
      individual_count: String(count),
      evidence_type: evidence,
      basis_of_record: evidence === 'camera_trap' ? 'MachineObservation' : 'HumanObservation',
      geometry: geopoint(random, pointNear(random, pa)),
    },
    areaCode: pa.code,
    status: 'recorded',
    categories: sp?.sensitive === true ? ['sensitive_species'] : [],
    createdAt: isoTime(createdMs + index),
    updatedAt: isoTime(createdMs + index),
  };
}

/**
 * Every protected area of the list, `cases` illicit-activity incidents and as many biodiversity
 * observations, recorded over eighteen months.
 */
export function generateDemo(options: DemoOptions): DemoData {
  const random = seededRandom(options.seed);
  const entities: DemoEntity[] = protectedAreas.map((pa) => protectedAreaEntity(random, pa));
  for (let i = 0; i < options.cases; i++) entities.push(incidentEntity(random, i));
  for (let i = 0; i < options.cases; i++) entities.push(observationEntity(random, i));
  return {
    template: 'png-protected-areas',
    project: { slug: 'png-pa', name: 'PNG protected areas' },
    areas,
    areaListVersion,
    entities,
  };
}
