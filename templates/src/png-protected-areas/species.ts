/**
 * Species for pick-lists and demo data (domain.md §7.2). `sensitive` marks species whose exact
 * locations must be generalised on export (birds-of-paradise, tree-kangaroos; domain.md §9).
 */
export interface Species {
  code: string;
  scientificName: string;
  en: string;
  tpi: string;
  iucn: string;
  sensitive: boolean;
}

export const species: Species[] = [
  {
    code: 'paradisaea_raggiana',
    scientificName: 'Paradisaea raggiana',
    en: 'Raggiana bird-of-paradise',
    tpi: 'Kumul (Raggiana)',
    iucn: '',
    sensitive: true,
  },
  {
    code: 'paradisaea_rudolphi',
    scientificName: 'Paradisaea rudolphi',
    en: 'Blue bird-of-paradise',
    tpi: 'Kumul blu',
    iucn: 'VU',
    sensitive: true,
  },
  {
    code: 'paradisaea_decora',
    scientificName: 'Paradisaea decora',
    en: "Goldie's bird-of-paradise",
    tpi: 'Kumul (Goldie)',
    iucn: 'VU',
    sensitive: true,
  },
  {
    code: 'paradisaea_guilielmi',
    scientificName: 'Paradisaea guilielmi',
    en: 'Emperor bird-of-paradise',
    tpi: 'Kumul (Emperor)',
    iucn: 'NT',
    sensitive: true,
  },
  {
    code: 'paradisaea_minor',
    scientificName: 'Paradisaea minor',
    en: 'Lesser bird-of-paradise',
    tpi: 'Liklik kumul',
    iucn: '',
    sensitive: true,
  },
  {
    code: 'paradisaea_apoda',
    scientificName: 'Paradisaea apoda',
    en: 'Greater bird-of-paradise',
    tpi: 'Bikpela kumul',
    iucn: '',
    sensitive: true,
  },
  {
    code: 'paradigalla_carunculata',
    scientificName: 'Paradigalla carunculata',
    en: 'Long-tailed paradigalla',
    tpi: 'Paradigalla longpela tel',
    iucn: 'NT',
    sensitive: true,
  },
  {
    code: 'dendrolagus_goodfellowi',
    scientificName: 'Dendrolagus goodfellowi',
    en: "Goodfellow's tree-kangaroo",
    tpi: 'Sikau bilong diwai (Goodfellow)',
    iucn: 'EN',
    sensitive: true,
  },
  {
    code: 'dendrolagus_matschiei',
    scientificName: 'Dendrolagus matschiei',
    en: "Huon (Matschie's) tree-kangaroo",
    tpi: 'Sikau bilong diwai (Huon)',
    iucn: 'EN',
    sensitive: true,
  },
  {
    code: 'dendrolagus_pulcherrimus',
    scientificName: 'Dendrolagus pulcherrimus',
    en: 'Golden-mantled tree-kangaroo',
    tpi: 'Sikau bilong diwai (gol)',
    iucn: 'CR',
    sensitive: true,
  },
  {
    code: 'dendrolagus_scottae',
    scientificName: 'Dendrolagus scottae',
    en: "Tenkile (Scott's tree-kangaroo)",
    tpi: 'Tenkile',
    iucn: 'CR',
    sensitive: true,
  },
  {
    code: 'casuarius_unappendiculatus',
    scientificName: 'Casuarius unappendiculatus',
    en: 'Northern cassowary',
    tpi: 'Muruk (not)',
    iucn: 'LC',
    sensitive: false,
  },
  {
    code: 'casuarius_casuarius',
    scientificName: 'Casuarius casuarius',
    en: 'Southern cassowary',
    tpi: 'Muruk (saut)',
    iucn: '',
    sensitive: false,
  },
  {
    code: 'casuarius_bennetti',
    scientificName: 'Casuarius bennetti',
    en: 'Dwarf cassowary',
    tpi: 'Liklik muruk',
    iucn: '',
    sensitive: false,
  },
  {
    code: 'ornithoptera_alexandrae',
    scientificName: 'Ornithoptera alexandrae',
    en: "Queen Alexandra's birdwing",
    tpi: 'Bataplai (Kwin Aleksandra)',
    iucn: '',
    sensitive: true,
  },
  {
    code: 'probosciger_aterrimus',
    scientificName: 'Probosciger aterrimus',
    en: 'Palm cockatoo',
    tpi: 'Koki blak',
    iucn: '',
    sensitive: false,
  },
  {
    code: 'phalanger_orientalis',
    scientificName: 'Phalanger orientalis',
    en: 'Northern common cuscus',
    tpi: 'Kapul',
    iucn: '',
    sensitive: false,
  },
  {
    code: 'zaglossus_bartoni',
    scientificName: 'Zaglossus bartoni',
    en: 'Eastern long-beaked echidna',
    tpi: 'Echidna',
    iucn: '',
    sensitive: false,
  },
];

/** Species a patrol is most likely to record in a given protected area (demo realism only). */
export const typicalSpecies: Record<string, string[]> = {
  'PA-VARIRATA': ['paradisaea_raggiana', 'casuarius_casuarius', 'phalanger_orientalis'],
  'PA-MCADAM': ['paradisaea_raggiana', 'dendrolagus_goodfellowi', 'casuarius_bennetti'],
  'PA-YUS': ['dendrolagus_matschiei', 'paradisaea_guilielmi', 'zaglossus_bartoni'],
  'PA-TONDA': ['casuarius_casuarius', 'probosciger_aterrimus', 'paradisaea_raggiana'],
  'PA-MAZA': ['casuarius_casuarius', 'probosciger_aterrimus'],
  'PA-KUTUBU': ['paradisaea_rudolphi', 'paradigalla_carunculata', 'casuarius_bennetti'],
  'PA-TORRICELLI': ['dendrolagus_scottae', 'dendrolagus_pulcherrimus', 'casuarius_unappendiculatus'],
  'PA-MANAGALAS': ['ornithoptera_alexandrae', 'paradisaea_raggiana', 'casuarius_casuarius'],
};
