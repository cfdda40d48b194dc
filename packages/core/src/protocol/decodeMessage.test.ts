import { describe, expect, test } from 'vitest';
import { decodeMessage } from './decodeMessage.js';
import { PROTOCOL_VERSION } from './protocolVersion.js';
import { protocolLimits } from './protocolLimits.js';
import { PullPage } from './PullPage.js';
import { encodeRecordGroups } from './recordGroupsEncoder.js';
import { checkPushSequence, PushRequest } from './PushRequest.js';
import { PushResult } from './PushResult.js';
import { SyncError } from './SyncError.js';

function item(seq: number, instanceId = `uuid:item-${seq}`) {
  return {
    seq,
    instanceId,
    projectId: 'p1',
    formId: 'household_visit',
    formVersion: '2024061101',
    xml: '<data id="household_visit"><name>Бат</name></data>',
    createdAt: '2024-06-11T08:30:00.000Z',
    attachments: [{ name: 'photo.jpg', sha256: 'a'.repeat(64), bytes: 52_100 }],
  };
}

function push(items: ReturnType<typeof item>[]) {
  return {
    protocol: PROTOCOL_VERSION,
    deviceId: 'dev-1',
    fromSeq: items[0]?.seq ?? 1,
    throughSeq: items.at(-1)?.seq ?? 1,
    items,
  };
}

describe('decodeMessage', () => {
  test('accepts a well-formed push and returns it unchanged', () => {
    const body = push([item(1), item(2)]);
    const decoded = decodeMessage(PushRequest, body);
    expect(decoded).toEqual({ ok: true, value: body });
  });

  test('names the first offending field as a JSON pointer', () => {
    const body = push([item(1), { ...item(2), createdAt: 'yesterday' }]);
    const decoded = decodeMessage(PushRequest, body);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.path).toBe('/items/1/createdAt');
  });

  test('refuses fields outside the allow-list (mass assignment)', () => {
    const decoded = decodeMessage(PushRequest, { ...push([item(1)]), ownerId: 'someone-else' });
    expect(decoded).toMatchObject({ ok: false, path: '/ownerId' });
    const nested = decodeMessage(PushRequest, push([{ ...item(1), assignee: 'u2' } as ReturnType<typeof item>]));
    expect(nested).toMatchObject({ ok: false, path: '/items/0/assignee' });
  });

  test('refuses batches above the limit', () => {
    const items = Array.from({ length: protocolLimits.maxPushItems + 1 }, (_, i) => item(i + 1));
    expect(decodeMessage(PushRequest, push(items))).toMatchObject({ ok: false, path: '/items' });
  });

  test('refuses a value that is not an object at all', () => {
    expect(decodeMessage(PushResult, 'ok')).toMatchObject({ ok: false, path: '' });
  });

  test('accepts every push outcome and refuses a rejection without a code', () => {
    const result = {
      ackedThrough: 4,
      results: [
        { seq: 1, instanceId: 'uuid:1', outcome: 'accepted' },
        { seq: 2, instanceId: 'uuid:2', outcome: 'duplicate' },
        {
          seq: 3,
          instanceId: 'uuid:3',
          outcome: 'rejected',
          code: 'submission.invalid',
          field: '/data/age',
          detail: 'Age must be below 130',
        },
        { seq: 4, instanceId: 'uuid:4', outcome: 'parked', code: 'entity.base-missing' },
      ],
    };
    expect(decodeMessage(PushResult, result).ok).toBe(true);
    const bad = { ackedThrough: 1, results: [{ seq: 1, instanceId: 'uuid:1', outcome: 'rejected' }] };
    expect(decodeMessage(PushResult, bad).ok).toBe(false);
  });

  test('accepts a column-wise pull page and refuses a group of the wrong shape', () => {
    const page = {
      groups: encodeRecordGroups([
        ['case-1', 'households', 'households@area-12', 3, 1041, { name: 'Бат', members: 4, needs: ['food'] }],
      ]),
      evictions: [{ id: 'case-9', list: 'households', reason: 'out-of-scope' }],
      cursors: { 'households@area-12': 1041 },
      scopes: ['households@area-12'],
      hasMore: false,
      remaining: 0,
    };
    expect(decodeMessage(PullPage, page).ok).toBe(true);
    const wrong = { ...page, groups: [{ ...page.groups[0], versions: 0 }] };
    expect(decodeMessage(PullPage, wrong)).toMatchObject({ ok: false, path: '/groups/0/versions' });
    const smuggled = { ...page, groups: [{ ...page.groups[0], properties: { name: { values: ['x'], extra: 1 } } }] };
    expect(decodeMessage(PullPage, smuggled).ok).toBe(false);
  });

  test('lets a problem body carry members it does not know, with a wipe directive', () => {
    const body = {
      type: 'https://outpost.invalid/problems/auth.device-revoked',
      title: 'This device has been revoked',
      status: 401,
      code: 'auth.device-revoked',
      instance: '/api/v1/sync/pull',
      wipe: { reason: 'device-revoked', issuedAt: '2024-06-11T09:00:00Z' },
    };
    expect(decodeMessage(SyncError, body).ok).toBe(true);
  });
});

describe('checkPushSequence', () => {
  test('accepts ascending items whose range matches', () => {
    expect(checkPushSequence(push([item(3), item(4), item(9)]))).toBeNull();
  });

  test('finds a range that does not match the items', () => {
    expect(checkPushSequence({ ...push([item(3), item(4)]), throughSeq: 5 })).toMatchObject({ path: '/throughSeq' });
    expect(checkPushSequence({ ...push([item(3), item(4)]), fromSeq: 2 })).toMatchObject({ path: '/fromSeq' });
  });

  test('finds items out of order and an instanceId sent twice', () => {
    const reordered = { ...push([item(3), item(2)]), fromSeq: 3, throughSeq: 2 };
    expect(checkPushSequence(reordered)).toMatchObject({ path: '/items/1/seq' });
    expect(checkPushSequence(push([item(1, 'uuid:x'), item(2, 'uuid:x')]))).toMatchObject({
      path: '/items/1/instanceId',
    });
  });
});
