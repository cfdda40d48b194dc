import type { Choice, Labels } from '../xlsform/formDefinition.js';

function choice(name: string, mn: string, en: string): Choice {
  return { name, label: { mn, en } };
}

export const yesNo: Choice[] = [choice('yes', 'Тийм', 'Yes'), choice('no', 'Үгүй', 'No')];

export const sexes: Choice[] = [choice('male', 'Эр', 'Male'), choice('female', 'Эм', 'Female')];

/** Vulnerability categories from the Law on Social Welfare target groups and COVID-19 additions (domain.md §3.2). */
export const vulnerabilities: Choice[] = [
  choice('child_at_risk', 'Эрсдэлт нөхцөлд байгаа хүүхэд', 'Child at risk'),
  choice('orphan', 'Өнчин хүүхэд', 'Orphan'),
  choice('lost_breadwinner', 'Тэжээгчээ алдсан хүүхэд', 'Child who lost a breadwinner'),
  choice('child_disability', 'Хөгжлийн бэрхшээлтэй хүүхэд', 'Child with a disability'),
  choice('twins_triplets', 'Ихэр хүүхэд', 'Twins or triplets'),
  choice('elderly', 'Ахмад настан', 'Elderly person'),
  choice('disability', 'Хөгжлийн бэрхшээлтэй иргэн', 'Person with a disability'),
  choice('single_parent', 'Өрх толгойлсон эх, эцэг', 'Single parent heading the household'),
  choice('many_children', 'Олон хүүхэдтэй эх', 'Mother of many children'),
  choice('permanent_care', 'Байнгын асаргаа шаардлагатай иргэн', 'Needs permanent care'),
  choice('caregiver', 'Асран хамгаалагч', 'Caregiver'),
  choice('poor_household', 'Ядуу өрх (ӨМНС)', 'Poor household (household database)'),
  choice('emergency_affected', 'Онцгой нөхцөл байдалд өртсөн', 'Affected by an emergency'),
  choice('domestic_violence', 'Гэр бүлийн хүчирхийлэлд өртсөн', 'Affected by domestic violence'),
  choice('homeless', 'Орон гэргүй', 'Homeless'),
  choice('informal_worker', 'Албан бус хөдөлмөр эрхлэгч', 'Informal or self-employed worker'),
  choice('herder_livestock_loss', 'Мал хорогдсон малчин', 'Herder who lost livestock'),
  choice('unemployed', 'Ажилгүй', 'Unemployed'),
];

/** Needs, mapped to the welfare services of domain.md §3.3. */
export const needs: Choice[] = [
  choice('food', 'Хүнс, тэжээл', 'Food and nutrition'),
  choice('cash', 'Мөнгөн тусламж, орлого', 'Cash or income support'),
  choice('employment', 'Ажил зуучлал', 'Employment and job mediation'),
  choice('health', 'Эрүүл мэнд, эм', 'Health care and medicines'),
  choice('disability_support', 'Хөгжлийн бэрхшээлийн дэмжлэг, туслах хэрэгсэл', 'Disability support and devices'),
  choice('shelter', 'Орон байр', 'Shelter and housing'),
  choice('heating_winter', 'Түлш, өвөлжилтийн бэлтгэл', 'Heating fuel and winter preparation'),
  choice('water_sanitation', 'Ус, ариун цэвэр', 'Water and sanitation'),
  choice('education', 'Боловсрол, сургуулийн хэрэгсэл', 'Education and school supplies'),
  choice('child_care', 'Хүүхэд асрах үйлчилгээ', 'Child care'),
  choice('psychosocial', 'Сэтгэл зүйн зөвлөгөө', 'Psychosocial counselling'),
  choice('protection', 'Хүчирхийллээс хамгаалах', 'Protection from violence'),
  choice('legal_documents', 'Иргэний бүртгэл, бичиг баримт', 'Legal and identity documents'),
  choice('elderly_care', 'Ахмад настны асаргаа', 'Elderly care'),
];

export const caseStatuses: Choice[] = [
  choice('open', 'Нээлттэй', 'Open'),
  choice('in_progress', 'Хэрэгжиж байна', 'In progress'),
  choice('referred', 'Холбон зуучилсан', 'Referred'),
  choice('closed', 'Хаасан', 'Closed'),
];

export const dwellingTypes: Choice[] = [
  choice('ger', 'Гэр', 'Ger'),
  choice('house', 'Амины орон сууц', 'Detached house'),
  choice('apartment', 'Орон сууц', 'Apartment'),
  choice('other', 'Бусад', 'Other'),
];

export const relationships: Choice[] = [
  choice('spouse', 'Эхнэр/нөхөр', 'Spouse'),
  choice('child', 'Хүүхэд', 'Child'),
  choice('parent', 'Эцэг/эх', 'Parent'),
  choice('sibling', 'Ах/эгч/дүү', 'Sibling'),
  choice('grandchild', 'Ач/зээ', 'Grandchild'),
  choice('other_relative', 'Бусад хамаатан', 'Other relative'),
  choice('non_relative', 'Хамаатан бус', 'Not related'),
];

export const riskLevels: Choice[] = [
  choice('low', 'Бага', 'Low'),
  choice('medium', 'Дунд', 'Medium'),
  choice('high', 'Өндөр', 'High'),
];

export const visitTypes: Choice[] = [
  choice('home_visit', 'Гэрээр очсон', 'Home visit'),
  choice('office_visit', 'Хороонд ирсэн', 'Visit at the khoroo office'),
  choice('phone', 'Утсаар', 'Phone call'),
];

export const agencies: Choice[] = [
  choice('family_health_centre', 'Өрхийн эрүүл мэндийн төв', 'Family health centre'),
  choice('welfare_department', 'Дүүргийн хөдөлмөр, халамжийн хэлтэс', 'District labour and welfare department'),
  choice('employment_office', 'Хөдөлмөр эрхлэлтийн алба', 'Employment office'),
  choice('multidisciplinary_team', 'Хамтарсан баг', 'Multidisciplinary team'),
  choice('police', 'Цагдаа', 'Police'),
  choice('school_social_worker', 'Сургуулийн нийгмийн ажилтан', 'School social worker'),
  choice('civil_registration', 'Иргэний бүртгэл', 'Civil registration office'),
  choice('legal_aid', 'Хууль зүйн туслалцаа', 'Legal aid'),
  choice('ngo', 'Төрийн бус байгууллага', 'Non-governmental organisation'),
  choice('shelter', 'Түр хамгаалах байр', 'Shelter'),
];

export const closureReasons: Choice[] = [
  choice('needs_met', 'Хэрэгцээ хангагдсан', 'Needs met'),
  choice('moved', 'Шилжсэн', 'Moved away'),
  choice('transferred', 'Өөр байгууллагад шилжүүлсэн', 'Transferred'),
  choice('refused', 'Үйлчилгээнээс татгалзсан', 'Refused services'),
  choice('deceased', 'Нас барсан', 'Deceased'),
  choice('other', 'Бусад', 'Other'),
];

export function label(mn: string, en: string): Labels {
  return { mn, en };
}
