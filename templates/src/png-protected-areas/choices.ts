import type { Choice, Labels } from '../xlsform/formDefinition.js';

// Tok Pisin wording here goes beyond the words domain.md §5.4 verified; a native speaker should
// review it before a deployment relies on it (templates/png-protected-areas/SOURCES.md).
export function label(en: string, tpi: string): Labels {
  return { en, tpi };
}

function choice(name: string, en: string, tpi: string): Choice {
  return { name, label: { en, tpi } };
}

export const designations: Choice[] = [
  choice('national_park', 'National park', 'Nesenel pak'),
  choice('wma', 'Wildlife management area', 'Wildlife management eria'),
  choice('conservation_area', 'Conservation area', 'Conservation eria'),
  choice('wildlife_sanctuary', 'Wildlife sanctuary', 'Ples bilong lukautim ol animal'),
  choice('lmma', 'Locally managed marine area', 'Solwara ol lain long ples i lukautim'),
  choice('provincial_park', 'Provincial park', 'Provins pak'),
  choice('reserve', 'Reserve', 'Rises'),
  choice('other', 'Other', 'Narapela'),
];

export const ownerships: Choice[] = [
  choice('customary', 'Customary landowners (community)', 'Papa graun (komuniti)'),
  choice('state', 'State', 'Gavman'),
  choice('private', 'Private', 'Praivet'),
  choice('other', 'Other', 'Narapela'),
];

export const currencies: Choice[] = [
  choice('PGK', 'Kina (PGK)', 'Kina (PGK)'),
  choice('USD', 'US dollar (USD)', 'Dola (USD)'),
];

/** Resource types and products (domain.md §8.1); `resource_type` filters products. */
export const resourceTypes: Choice[] = [
  choice('timber', 'Timber and wood', 'Diwai'),
  choice('ntfp', 'Other forest products', 'Ol narapela samting bilong bus'),
  choice('wildlife', 'Wildlife', 'Ol animal bilong bus'),
  choice('fish_marine', 'Fish and marine resources', 'Pis na ol samting bilong solwara'),
  choice('water', 'Water', 'Wara'),
  choice('land', 'Land (gardens, clearing)', 'Graun (gaden)'),
];

function product(name: string, type: string, en: string, tpi: string): Choice {
  return { name, label: { en, tpi }, columns: { resource_type: type } };
}

export const products: Choice[] = [
  product('firewood', 'timber', 'Firewood', 'Paiawut'),
  product('building_timber', 'timber', 'Building timber and poles', 'Diwai bilong wokim haus'),
  product('pit_sawn_timber', 'timber', 'Pit-sawn timber', 'Diwai ol i sarim long han'),
  product('agarwood', 'timber', 'Agarwood (gaharu)', 'Gaharu'),
  product('rattan', 'ntfp', 'Rattan', 'Kanda'),
  product('bamboo', 'ntfp', 'Bamboo', 'Mambu'),
  product('orchids', 'ntfp', 'Orchids', 'Ol plaua orkid'),
  product('sago', 'ntfp', 'Sago', 'Saksak'),
  product('wild_food_plants', 'ntfp', 'Wild food plants, nuts and fruit', 'Kaikai bilong bus'),
  product('medicinal_plants', 'ntfp', 'Medicinal plants', 'Marasin bilong bus'),
  product('wild_pig', 'wildlife', 'Wild pig', 'Pik bilong bus'),
  product('cassowary', 'wildlife', 'Cassowary', 'Muruk'),
  product('cuscus', 'wildlife', 'Cuscus and possums', 'Kapul'),
  product('tree_kangaroo', 'wildlife', 'Tree-kangaroo', 'Sikau bilong diwai'),
  product('bird_feathers', 'wildlife', 'Bird feathers', 'Gras bilong pisin'),
  product('butterflies', 'wildlife', 'Butterflies and insects', 'Bataplai na ol binatang'),
  product('crocodile', 'wildlife', 'Crocodile', 'Pukpuk'),
  product('reef_fish', 'fish_marine', 'Reef fish', 'Pis bilong rif'),
  product('shellfish', 'fish_marine', 'Shellfish', 'Sel'),
  product('freshwater_fish', 'fish_marine', 'Freshwater fish', 'Pis bilong wara'),
  product('drinking_water', 'water', 'Drinking water', 'Wara bilong dring'),
  product('garden_clearing', 'land', 'Garden clearing', 'Klinim graun bilong gaden'),
];

export const units: Choice[] = [
  choice('pieces', 'Pieces', 'Hap'),
  choice('bundles', 'Bundles', 'Bandel'),
  choice('kg', 'Kilograms', 'Kilo'),
  choice('m3', 'Cubic metres', 'Kiubik mita'),
  choice('head', 'Animals (head)', 'Animal'),
  choice('ha', 'Hectares', 'Hekta'),
];

export const purposes: Choice[] = [
  choice('subsistence', 'Household use', 'Bilong famili'),
  choice('ceremonial', 'Ceremony (bilas, sing-sing)', 'Bilas na singsing'),
  choice('local_sale', 'Sale at local market', 'Salim long maket'),
  choice('commercial', 'Commercial trade', 'Bisnis'),
];

export const harvesters: Choice[] = [
  choice('resident_landowner', 'Resident landowner', 'Papa graun'),
  choice('outsider', 'Outsider', 'Man i no bilong ples'),
  choice('company', 'Company', 'Kampani'),
  choice('unknown', 'Unknown', 'Mi no save'),
];

export const permitStatuses: Choice[] = [
  choice('permitted', 'Permitted or customary right', 'I gat tok orait'),
  choice('no_permit', 'No permit', 'I no gat tok orait'),
  choice('unknown', 'Unknown', 'Mi no save'),
];

export const trends: Choice[] = [
  choice('increasing', 'Increasing', 'I go antap'),
  choice('same', 'About the same', 'Wankain'),
  choice('decreasing', 'Decreasing', 'I go daun'),
];

/** Illicit-activity types (domain.md §8.2, derived taxonomy). */
export const incidentTypes: Choice[] = [
  choice('poaching', 'Poaching', 'Painim animal nogut'),
  choice('wildlife_trade', 'Wildlife trade', 'Salim ol animal nogut'),
  choice('illegal_logging', 'Illegal logging', 'Katim diwai nogut'),
  choice('illegal_fishing', 'Illegal or destructive fishing', 'Kisim pis nogut'),
  choice('illegal_mining', 'Illegal mining', 'Maining nogut'),
  choice('encroachment', 'Encroachment (gardening, clearing, settlement)', 'Wokim gaden o haus insait long eria'),
  choice('fire', 'Fire', 'Paia'),
  choice('pollution', 'Pollution', 'Doti'),
  choice('vandalism', 'Vandalism of boundary or infrastructure', 'Bagarapim mak o haus'),
  choice('threat_to_rangers', 'Conflict or threats to rangers', 'Pait o tok nogut long ol renja'),
];

export const methods: Choice[] = [
  choice('gun', 'Gun', 'Gan'),
  choice('snare', 'Snare or trap', 'Trap'),
  choice('dogs', 'Dogs', 'Dok'),
  choice('spear', 'Spear or bow', 'Spia o banara'),
  choice('chainsaw', 'Chainsaw', 'Sensa'),
  choice('small_mesh_net', 'Small-mesh net', 'Umben liklik hul'),
  choice('poison', 'Poison', 'Posin'),
  choice('explosives', 'Explosives', 'Dainamait'),
  choice('other', 'Other', 'Narapela'),
];

export const severities: Choice[] = [
  choice('low', 'Low', 'Liklik'),
  choice('medium', 'Medium', 'Namel'),
  choice('high', 'High', 'Bikpela'),
];

export const actions: Choice[] = [
  choice('confiscated', 'Items confiscated', 'Kisim ol samting'),
  choice('arrested', 'Arrest made', 'Holim man'),
  choice('warned', 'Warning given', 'Givim tok lukaut'),
  choice('reported_police', 'Reported to police', 'Tokim polis'),
  choice('destroyed_snares', 'Snares or traps destroyed', 'Bagarapim trap'),
  choice('unsuccessful_pursuit', 'Pursued without success', 'Ronim tasol i no kisim'),
  choice('none', 'No action', 'I no gat wok'),
];

export const reporters: Choice[] = [
  choice('ranger', 'Ranger or community monitor', 'Renja'),
  choice('community', 'Community member', 'Man o meri bilong komuniti'),
  choice('anonymous', 'Anonymous', 'Hait nem'),
];

export const suspectStatuses: Choice[] = [
  choice('arrested', 'Arrested', 'Polis i holim'),
  choice('fled', 'Fled', 'Ranawe'),
  choice('warned', 'Warned and released', 'Givim tok lukaut na lusim'),
  choice('unknown', 'Unknown', 'Mi no save'),
];

export const vehicleTypes: Choice[] = [
  choice('truck', 'Truck', 'Trak'),
  choice('car', 'Car', 'Ka'),
  choice('motorbike', 'Motorbike', 'Motobaik'),
  choice('dinghy', 'Dinghy or boat', 'Bot'),
  choice('canoe', 'Canoe', 'Kanu'),
];

export const sexes: Choice[] = [
  choice('male', 'Male', 'Man'),
  choice('female', 'Female', 'Meri'),
  choice('unknown', 'Unknown', 'Mi no save'),
];

export const incidentStatuses: Choice[] = [
  choice('open', 'Open', 'Op'),
  choice('under_investigation', 'Under investigation', 'Polis i wok long painim aut'),
  choice('referred_to_police', 'Referred to police', 'Givim long polis'),
  choice('in_court', 'In court', 'Long kot'),
  choice('closed', 'Closed', 'Pinis'),
];

export const evidenceTypes: Choice[] = [
  choice('sighting', 'Seen', 'Lukim'),
  choice('call', 'Heard', 'Harim nois'),
  choice('tracks', 'Tracks or footprints', 'Lek mak'),
  choice('dung', 'Dung', 'Pekpek'),
  choice('nest', 'Nest', 'Haus bilong pisin'),
  choice('camera_trap', 'Camera trap', 'Kamera trap'),
  choice('remains', 'Remains (feathers, bones, skin)', 'Gras, bun o skin'),
];
