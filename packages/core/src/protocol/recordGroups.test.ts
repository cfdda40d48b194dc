import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeMessage } from './decodeMessage.js';
import type { PropertyValue, PulledRecord, RecordProperties } from './PulledRecord.js';
import { PullPage } from './PullPage.js';
import { decodePulledRecords, pulledRecordCount, pulledRecords } from './pulledRecords.js';
import type { RecordGroup } from './RecordGroup.js';
import { createRecordGroupsEncoder, encodeRecordGroups, propertyJsonOf } from './recordGroupsEncoder.js';

const seed = 20261127;
const utf8 = new TextEncoder();

function pageOf(groups: RecordGroup[]): PullPage {
  return { groups, evictions: [], cursors: {}, scopes: [], hasMore: false, remaining: 0 };
}

/** What the device gets: the page through JSON, checked, decoded. */
function overTheWire(records: readonly PulledRecord[]): PulledRecord[] {
  const page: unknown = JSON.parse(JSON.stringify(pageOf(encodeRecordGroups(records))));
  const checked = decodeMessage(PullPage, page);
  if (!checked.ok) throw new Error(`${checked.path}: ${checked.message}`);
  return pulledRecords(checked.value);
}

/** Records as the decoder lists them: group by group (list and scope, first seen first), in order. */
function grouped(records: readonly PulledRecord[]): PulledRecord[] {
  const groups = new Map<string, PulledRecord[]>();
  for (const record of records) {
    const key = `${record[1]} ${record[2]}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups.values()].flat();
}

const instant = fc
  .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const value: fc.Arbitrary<PropertyValue> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('Б. Энхбаяр', 'Баярын', '35-р байр, 22 тоот', '🏠 Өрх'),
  fc.constantFrom('open', 'closed', 'referred', '', 'null', '1', 'MN111089'),
  instant,
  instant.map((s) => s.slice(0, 10)),
  // Look like instants or dates but are not written the canonical way: they must stay as sent.
  instant.map((s) => s.replace('.', ',')),
  instant.map((s) => s.slice(0, 19) + 'Z'),
  instant.map((s) => s.slice(0, 23) + '+00:00'),
  fc.constantFrom('2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '2026-04-04T24:00:00.000Z'),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom('food', 'cash', 'health'), { maxLength: 3 }),
);
const names = ['name', 'status', '__status', '__label', 'dob', 'needs', 'updated', 'x.y', '_z'];
const properties: fc.Arbitrary<RecordProperties> = fc
  .subarray(names)
  .chain((keys) =>
    fc.tuple(...keys.map(() => value)).map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i] ?? null]))),
  );
const id = fc.oneof(fc.uuid({ version: 4 }), fc.uuid(), fc.stringMatching(/^[\x21-\x7e]{1,20}$/));
const records: fc.Arbitrary<PulledRecord[]> = fc
  .uniqueArray(
    fc.record({
      id,
      list: fc.constantFrom('cases', 'households'),
      scope: fc.constantFrom('p.1.ab.0all', 'p.1.ab.3own'),
      version: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 1_000 })),
      step: fc.integer({ min: 0, max: 1_000_000 }),
      properties,
    }),
    { selector: (r) => r.id, maxLength: 40 },
  )
  .map((drafts) => {
    let seq = 0;
    return drafts.map((r): PulledRecord => {
      seq += r.step;
      return [r.id, r.list, r.scope, r.version, seq, r.properties];
    });
  });

describe('column-wise record groups', () => {
  test('a page decodes to exactly the records encoded, absent properties still absent', () => {
    fc.assert(
      fc.property(records, (sent) => {
        expect(overTheWire(sent)).toStrictEqual(grouped(sent));
      }),
      { seed, numRuns: 300 },
    );
  });

  test('the cost of each record bounds the JSON of the groups', () => {
    fc.assert(
      fc.property(records, (sent) => {
        const encoder = createRecordGroupsEncoder();
        let bound = 0;
        for (const record of sent) {
          bound += encoder.cost(record);
          encoder.add(record);
        }
        expect(utf8.encode(JSON.stringify(encoder.groups())).length).toBeLessThanOrEqual(bound + 2);
        expect(pulledRecordCount(pageOf(encoder.groups()))).toBe(sent.length);
      }),
      { seed, numRuns: 300 },
    );
  });

  test('values measured beforehand (a server keeps them) give the same costs and groups', () => {
    fc.assert(
      fc.property(records, (sent) => {
        const plain = createRecordGroupsEncoder();
        const measured = createRecordGroupsEncoder();
        for (const record of sent) {
          const values = propertyJsonOf(record[5]);
          expect(measured.cost(record, values)).toBe(plain.cost(record));
          plain.add(record);
          measured.add(record, values);
        }
        expect(measured.groups()).toStrictEqual(plain.groups());
      }),
      { seed, numRuns: 100 },
    );
  });

  test('the bound counts bytes of UTF-8, not characters', () => {
    const encoder = createRecordGroupsEncoder();
    let bound = 0;
    for (let n = 0; n < 50; n++) {
      const record: PulledRecord = [`case-${n}`, 'cases', 's', 1, n + 1, { address: `${'Баянзүрх '.repeat(20)}${n}` }];
      bound += encoder.cost(record);
      encoder.add(record);
    }
    expect(utf8.encode(JSON.stringify(encoder.groups())).length).toBeLessThanOrEqual(bound);
  });

  test('repeated values, equal columns, instants and dates travel compactly', () => {
    const uuid = (n: number) => `0f6e${String(n).padStart(4, '0')}-9b89-43ef-8a0e-3a5d804d9dda`;
    const sent = Array.from({ length: 4 }, (_, n): PulledRecord => {
      const status = n % 2 === 0 ? 'open' : 'referred';
      const properties: RecordProperties = {
        aimag: 'MN11',
        case_status: status,
        __status: status,
        __team: null,
        head_dob: `19${60 + n}-0${n + 1}-1${n}`,
        __updatedAt: `2026-04-0${n + 1}T03:38:10.82${n}Z`,
      };
      if (n !== 2) properties['head_phone'] = `9054412${n}`;
      return [uuid(n), 'cases', 'p.1.ab.0all', 1, 100 + n * 3, properties];
    });
    const [group] = encodeRecordGroups(sent);
    expect(group).toMatchObject({
      ids: expect.stringMatching(/^[A-Za-z0-9_-]{88}$/),
      versions: 1,
      seqs: [100, 3, 3, 3],
      properties: {
        aimag: { value: 'MN11' },
        __status: { sameAs: 'case_status' },
        __team: { value: null },
        head_dob: { datesFrom: expect.any(Number) },
        __updatedAt: {
          timestampsFrom: Date.parse('2026-04-01T03:38:10.820Z'),
          offsets: [0, 86_400_001, 172_800_002, 259_200_003],
        },
        head_phone: { values: ['90544120', '90544121', '90544123'], missing: [2] },
      },
    });
    expect(pulledRecords({ groups: [group as RecordGroup] })).toStrictEqual(sent);
  });

  test('UUIDs travel as their 16 bytes in base64url', () => {
    const ids = [
      '00000000-0000-4000-8000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '5e566a5e-9b89-43ef-8a0e-3a5d804d9dda',
    ];
    const [group] = encodeRecordGroups(ids.map((recordId, n): PulledRecord => [recordId, 'cases', 's', 1, n + 1, {}]));
    expect(group?.ids).toBe('AAAAAAAAQACAAAAAAAAAAA' + '_____________________w' + 'XlZqXpuJQ--KDjpdgE2d2g');
    expect(pulledRecords({ groups: group === undefined ? [] : [group] }).map(([recordId]) => recordId)).toEqual(ids);
    // An upper-case UUID is not in the canonical form: the ids go as they are.
    const [upper] = encodeRecordGroups([['5E566A5E-9B89-43EF-8A0E-3A5D804D9DDA', 'cases', 's', 1, 1, {}]]);
    expect(upper?.ids).toEqual(['5E566A5E-9B89-43EF-8A0E-3A5D804D9DDA']);
  });

  test('a group that does not add up is refused with where', () => {
    const [group] = encodeRecordGroups([
      ['a', 'cases', 's', 1, 1, { name: 'x', status: 'open' }],
      ['b', 'cases', 's', 1, 2, { name: 'y', status: 'open' }],
      ['c', 'cases', 's', 1, 3, { name: 'z', status: 'closed' }],
    ]);
    if (group === undefined) throw new Error('no group');
    const broken: [string, RecordGroup][] = [
      ['/groups/0/seqs', { ...group, seqs: [1, 1] }],
      ['/groups/0/versions', { ...group, versions: [1, 1] }],
      ['/groups/0/properties/name', { ...group, properties: { ...group.properties, name: { values: ['x'] } } }],
      [
        '/groups/0/properties/status',
        { ...group, properties: { ...group.properties, status: { dictionary: ['open'], codes: [0, 0, 1] } } },
      ],
      [
        '/groups/0/properties/name',
        { ...group, properties: { ...group.properties, name: { values: ['x', 'y'], missing: [2, 2] } } },
      ],
      [
        '/groups/0/properties/name',
        { ...group, properties: { name: { sameAs: 'status' }, status: { value: 'open' } } },
      ],
    ];
    for (const [path, bad] of broken) {
      expect(decodePulledRecords({ groups: [bad] })).toMatchObject({ ok: false, path });
    }
  });
});
