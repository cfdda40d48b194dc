import { describe, expect, it } from 'vitest';
import { createMemoryApi } from '../api/createMemoryApi.js';
import { createOfflineApi } from '../api/createOfflineApi.js';
import { createMemoryStore } from '../store/memoryStore.js';
import { saveRecord } from '../store/saveRecord.js';
import { overlayDeviceEdits, parseCsv } from './entityListOverlay.js';
import type { DeviceRecord } from './listDeviceRecords.js';

// Without a label of its own, listDeviceRecords shows a record under its id.
const record = (over: Partial<DeviceRecord>): DeviceRecord => ({
  id: 'h1',
  list: 'cases',
  projectId: 'p1',
  label: over.id ?? 'h1',
  status: null,
  state: 'pending',
  rejection: null,
  seq: 1,
  properties: {},
  version: 0,
  pendingSeq: 1,
  ...over,
});

describe('the entity list a follow-up form reads on this device', () => {
  it("lays the device's unsent edits over the server's rows and adds cases created here", () => {
    const csv = 'name,label,__version,needs,note\r\nh1,Бат,3,food,"a, ""quoted"" note"\r\nh2,Сараа,1,cash,\r\n';
    const out = overlayDeviceEdits(csv, 'cases', [
      record({ id: 'uuid:H1', properties: { needs: 'food health', __status: 'in_progress' } }),
      record({ id: 'h3', label: 'Д. Ганзориг', properties: { needs: 'shelter' } }),
      record({ id: 'h2', state: 'synced', properties: { needs: 'ignored' } }),
      record({ id: 'x9', list: 'incidents', properties: { needs: 'ignored' } }),
    ]);
    expect(parseCsv(out)).toEqual([
      ['name', 'label', '__version', 'needs', 'note'],
      ['h1', 'Бат', '3', 'food health', 'a, "quoted" note'],
      ['h2', 'Сараа', '1', 'cash', ''],
      ['h3', 'Д. Ганзориг', '', 'shelter', ''],
    ]);
  });

  it('the offline API serves cases.csv with the visit saved on this device, before it is sent', async () => {
    const api = createMemoryApi({
      accounts: [{ user: { id: 'u1', username: 'fw', displayName: 'FW', role: 'fieldworker' }, password: 'pw' }],
      projects: [{ id: 'p1', slug: 'bz', name: 'Bayanzürkh', role: 'fieldworker' }],
      cases: { p1: [] },
      forms: {
        p1: [
          {
            summary: { formId: 'mn_visit', version: '1', title: 'Visit' },
            xml: '<h:html/>',
            attachments: { 'cases.csv': 'name,label,__version,needs\r\nh1,Бат,3,food\r\n' },
          },
        ],
      },
    });
    await api.login('fw', 'pw');
    const store = createMemoryStore();
    await saveRecord(
      store,
      { id: 'h1', list: 'cases', properties: { __projectId: 'p1', needs: 'food health' } },
      {
        instanceId: 'uuid:v1',
        projectId: 'p1',
        formId: 'mn_visit',
        formVersion: '1',
        xml: '<data/>',
        createdAt: '2026-05-01T08:00:00.000Z',
        attachments: [],
      },
    );
    const offline = createOfflineApi(api, () => ({ store, codec: { seal: async (v) => v, open: async (v) => v } }));
    const csv = await (await offline.getFormAttachment('p1', 'mn_visit', '1', 'cases.csv')).text();
    expect(parseCsv(csv)[1]).toEqual(['h1', 'Бат', '3', 'food health']);
  });
});
