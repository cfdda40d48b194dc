import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestServer } from '@outpost/test-kit';
import type { TestServer } from '@outpost/test-kit';
import { ensureEntityList, insertEntity, updateEntity } from '../../storage/queries/entities.js';
import { createProject } from '../../storage/queries/projects.js';
import { changeStreamLimits } from './syncChanges.js';

let server: TestServer;
let cookie: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer({
    users: [{ username: 'bolor', role: 'fieldworker' }],
    password: 'correct horse battery',
  });
  cookie = (await signIn(server.app, 'bolor', 'correct horse battery')).headers;
});
afterAll(() => server.close());

/** Opens the change stream and collects what arrives. */
async function listen(): Promise<{ text: () => string; stop: () => Promise<void>; status: number }> {
  const res = await fetch(`${server.url}/api/v1/sync/changes`, { headers: cookie });
  let text = '';
  const reader = res.body?.getReader();
  void (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (chunk === undefined || chunk.done) return;
      text += new TextDecoder().decode(chunk.value);
    }
  })();
  return { text: () => text, stop: () => reader?.cancel() ?? Promise.resolve(), status: res.status };
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /api/v1/sync/changes', () => {
  it('tells a device to pull when a case of its project changes, and stays silent for other projects', async () => {
    const stream = await listen();
    expect(stream.status).toBe(200);
    await until(() => stream.text().includes('event: ready')).catch((e: unknown) => {
      throw new Error(`ready not heard: ${JSON.stringify(stream.text())} ${String(e)}`);
    });

    const other = await createProject({ slug: 'elsewhere', name: 'Elsewhere' }, server.store);
    const elsewhere = await ensureEntityList(other.id, 'cases', server.store);
    await insertEntity({ listId: elsewhere.id, label: 'Not yours' }, server.store);
    const list = await ensureEntityList(server.projectId, 'cases', server.store);
    const mine = await insertEntity({ listId: list.id, label: 'Bat-Erdene' }, server.store);
    await until(() => stream.text().includes('event: changed')).catch((e: unknown) => {
      throw new Error(`changed not heard: ${JSON.stringify(stream.text())} ${String(e)}`);
    });
    // Several writes close together make one event.
    await updateEntity(mine.id, { label: 'Bat-Erdene B.' }, server.store);
    await updateEntity(mine.id, { label: 'Bat-Erdene Bold' }, server.store);
    await new Promise((r) => setTimeout(r, 1_000));
    const events = stream.text().match(/event: changed\ndata: (.*)\n/g) ?? [];
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.length).toBeLessThanOrEqual(2);
    for (const e of events) expect(e).toContain(server.projectId);
    expect(stream.text()).not.toContain(other.id);
    await stream.stop();
  });

  it('refuses a stream without credentials and more streams than a user may hold', async () => {
    expect((await fetch(`${server.url}/api/v1/sync/changes`)).status).toBe(401);
    const open = [];
    for (let i = 0; i < changeStreamLimits.perUser; i += 1) open.push(await listen());
    for (const s of open) expect(s.status).toBe(200);
    const refused = await fetch(`${server.url}/api/v1/sync/changes`, { headers: cookie });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { code: string }).code).toBe('request.rate-limited');
    await Promise.all(open.map((s) => s.stop()));
    // Closed streams free their places.
    await until(() => false, 300).catch(() => {});
    const again = await listen();
    expect(again.status).toBe(200);
    await again.stop();
  });
});
