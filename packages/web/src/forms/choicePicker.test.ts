// @vitest-environment jsdom
import './__fixtures__/engineInNode.js';
import type { SelectNode } from '@getodk/xforms-engine';
import { describe, expect, it } from 'vitest';
import assessmentXml from './__fixtures__/assessment.xml?raw';
import { choiceDetails, pickerChoices, pickerView } from './choicePicker.js';
import { findNode, openForm } from './openForm.js';

// The case list as the server serves it to a follow-up form: two households headed by a
// "Б. Бат" in different khoroos, and 28 others, so the list is long enough to be a picker.
const header = 'name,label,__version,head_register_number,bag,needs,__area_name_en,__area_name_mn';
const rows = [
  'case-bat-3,Б. Бат,2,УК85032715,MN111053,food,Khoroo 3,3-р хороо',
  'case-bat-7,Б. Бат,1,ЧБ91122408,MN111057,,Khoroo 7,7-р хороо',
  ...Array.from(
    { length: 28 },
    (_, i) => `case-${i},Д. Сарнай ${i + 1},1,ИЕ9${String(i).padStart(7, '0')},MN111051,,Khoroo 1,1-р хороо`,
  ),
];
const casesCsv = `${[header, ...rows].join('\r\n')}\r\n`;

async function casePicker(): Promise<SelectNode> {
  const form = await openForm({
    xml: assessmentXml,
    attachment: (name) =>
      name === 'cases.csv'
        ? Promise.resolve(new Blob([casesCsv], { type: 'text/csv' }))
        : Promise.reject(new Error(name)),
  });
  const node = findNode(form.root, (n) => n.currentState.reference === '/data/case_id');
  if (node?.nodeType !== 'select') throw new Error('no case question');
  return node;
}

describe('the household picker of a follow-up form', () => {
  it('tells two households of the same name apart by khoroo and register number', async () => {
    const node = await casePicker();
    const choices = pickerChoices(node.currentState.valueOptions, 'mn');
    const bats = choices.filter((c) => c.label === 'Б. Бат');
    expect(bats.map((c) => c.details)).toEqual([
      ['3-р хороо', 'УК85032715'],
      ['7-р хороо', 'ЧБ91122408'],
    ]);
    // Codes and other properties (bag, needs, __version) are not shown.
    expect(choices.flatMap((c) => c.details).some((d) => /MN11|food|^\d+$/.test(d))).toBe(false);
    // The app in English shows the English area names.
    expect(pickerChoices(node.currentState.valueOptions, 'en')[0]?.details).toEqual(['Khoroo 3', 'УК85032715']);
  });

  it('shows the first matches of a long list and narrows as the worker types', async () => {
    const node = await casePicker();
    const choices = pickerChoices(node.currentState.valueOptions, 'mn');
    const none = () => false;
    const all = pickerView(choices, '', none);
    expect(all.matching).toBe(30);
    expect(all.shown).toHaveLength(20);

    const byName = pickerView(choices, 'бат', none);
    expect(byName.shown.map((c) => c.option.value)).toEqual(['case-bat-3', 'case-bat-7']);
    // Name and khoroo together, in any order and case.
    expect(pickerView(choices, '7-р БАТ', none).shown.map((c) => c.option.value)).toEqual(['case-bat-7']);
    // A register number typed in part, with a space.
    expect(pickerView(choices, 'ук 8503', none).shown.map((c) => c.option.value)).toEqual(['case-bat-3']);
    expect(pickerView(choices, 'Оюун', none)).toMatchObject({ shown: [], matching: 0 });
    // Typed in Latin letters, as on a tablet without a Mongolian keyboard.
    expect(pickerView(choices, 'bat', none).shown.map((c) => c.option.value)).toEqual(['case-bat-3', 'case-bat-7']);
    expect(pickerView(choices, 'sarnai 0000011', none).shown.map((c) => c.label)).toEqual(['Д. Сарнай 12']);
  });

  it('keeps the chosen household in view whatever is typed', async () => {
    const node = await casePicker();
    node.selectValue('case-27');
    const choices = pickerChoices(node.currentState.valueOptions, 'mn');
    const view = pickerView(choices, 'бат', (v) => node.isSelected(v));
    expect(view.shown.map((c) => c.option.value)).toEqual(['case-27', 'case-bat-3', 'case-bat-7']);
    expect(view.matching).toBe(2);
    // With nothing typed and no room for others, the answer alone (a visit started from its case).
    expect(pickerView(choices, '', (v) => node.isSelected(v), 0)).toMatchObject({
      shown: [{ option: { value: 'case-27' } }],
      matching: 30,
    });
  });
});

describe('choiceDetails', () => {
  it('falls back to any area name and skips blank and system columns', () => {
    expect(
      choiceDetails(
        [
          ['__area_name_tpi', 'Varirata'],
          ['__version', '3'],
          ['member_register_number', ' '],
          ['national_id', 'PG-991'],
        ],
        'mn',
      ),
    ).toEqual(['Varirata', 'PG-991']);
  });
});
