import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memoryStore.js';
import type { CodecContext, ValueCodec } from '../store/ValueCodec.js';
import { ApiProblem } from '../transport/ApiProblem.js';
import { createMemoryApi } from './createMemoryApi.js';
import { createOfflineApi, formAttachmentNames, prefetchForms } from './createOfflineApi.js';
import type { OutpostApi } from './OutpostApi.js';

const worker = { id: 'u2', username: 'dulmaa', displayName: 'Dulmaa Bold', role: 'fieldworker' };
const project = { id: 'p1', slug: 'bz', name: 'Bayanzürkh social protection', role: 'fieldworker' };
const xml = `<h:html><model><instance id="cases" src="jr://file-csv/cases.csv"/></model>
  <itext><value form="image">jr://file/logo.png</value></itext></h:html>`;

/** Marks what it seals, and refuses a value opened in another place than it was sealed for. */
const boundCodec: ValueCodec = {
  seal: async (value, context?: CodecContext) => ({ sealedFor: JSON.stringify(context), value }),
  open: async (stored, context?: CodecContext) => {
    const { sealedFor, value } = stored as { sealedFor: string; value: unknown };
    if (sealedFor !== JSON.stringify(context)) throw new Error('moved');
    return value;
  },
};

function online() {
  const api = createMemoryApi({
    accounts: [{ user: worker, password: 'pw-pw-pw-pw' }],
    projects: [project],
    cases: { p1: [] },
    forms: {
      p1: [
        {
          summary: { formId: 'household_registration', version: '3', title: 'Household registration' },
          xml,
          attachments: { 'cases.csv': 'name,label\nh1,Бат\n', 'logo.png': 'png' },
        },
      ],
    },
  });
  return api;
}

function offline(api: OutpostApi): OutpostApi {
  const fail = (): Promise<never> => Promise.reject(ApiProblem.unreachable(new TypeError('Failed to fetch')));
  return { ...api, listProjects: fail, listForms: fail, getFormXml: fail, getFormAttachment: fail };
}

describe('createOfflineApi', () => {
  it('finds the attachments an XForm names', () => {
    expect(formAttachmentNames(xml)).toEqual(['cases.csv', 'logo.png']);
  });

  it('answers the projects, forms, XForms and attachments it kept when the server cannot be reached', async () => {
    const server = online();
    await server.login(worker.username, 'pw-pw-pw-pw');
    const cache = { store: createMemoryStore(), codec: boundCodec };
    await expect(prefetchForms(createOfflineApi(server, () => cache))).resolves.toEqual({ forms: 1, files: 2 });

    const api = createOfflineApi(offline(server), () => cache);
    await expect(api.listProjects()).resolves.toEqual([project]);
    await expect(api.listForms('p1')).resolves.toMatchObject([{ formId: 'household_registration', version: '3' }]);
    await expect(api.getFormXml('p1', 'household_registration', '3')).resolves.toBe(xml);
    const csv = await api.getFormAttachment('p1', 'household_registration', '3', 'cases.csv');
    await expect(csv.text()).resolves.toContain('h1,Бат');

    // Never kept: the server's absence is reported.
    await expect(api.listForms('p2')).rejects.toMatchObject({ code: 'network.unreachable' });
    // Nobody unlocked: nothing to answer from.
    await expect(createOfflineApi(offline(server), () => null).listProjects()).rejects.toBeInstanceOf(ApiProblem);
  });

  it('does not stand in for a server that said no', async () => {
    const server = online();
    await server.login(worker.username, 'pw-pw-pw-pw');
    const cache = { store: createMemoryStore(), codec: boundCodec };
    await prefetchForms(createOfflineApi(server, () => cache));
    await server.logout();
    await expect(createOfflineApi(server, () => cache).listProjects()).rejects.toMatchObject({ status: 401 });
  });
});
