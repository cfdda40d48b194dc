import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullPage } from '@outpost/core';
import { PROTOCOL_VERSION, pulledRecords } from '@outpost/core';
import { DEMO_PASSWORD } from '@outpost/server';
import { createPostgresTestDatabase } from '@outpost/test-kit';
import type { PostgresTestDatabase } from '@outpost/test-kit';

/**
 * Two `outpost start` processes on one PostgreSQL behind a small round-robin proxy (issue 14,
 * point 3): a session opened through one works on the other, a change written through one
 * reaches a device listening on the other (LISTEN/NOTIFY), and either serves the pull.
 */
const cliMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const visitVersion = (
  JSON.parse(readFileSync(new URL('../../../templates/form-versions.json', import.meta.url), 'utf8')) as Record<
    string,
    { version: string }
  >
)['mn_visit']?.version;

interface Proc {
  url: string;
  child: ChildProcess;
  log: () => string;
}

function startProcess(databaseUrl: string, dataDir: string): Promise<Proc> {
  const args = [cliMain, 'start', '--demo', '--host', '127.0.0.1', '--port', '0'];
  args.push('--data-dir', dataDir, '--database-url', databaseUrl);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line:\n${log}`)), 120_000);
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${log}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      log += `${line}\n`;
      const match = /Outpost listening on (http:\/\/\S+)/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1].replace(/\/$/, ''), child, log: () => log });
      }
    });
  });
}

/** Sends each request to the next backend in turn and counts where they went. */
function roundRobinProxy(backends: string[]): Promise<{ url: string; hits: number[]; close(): void }> {
  const hits = backends.map(() => 0);
  let next = 0;
  const server = http.createServer((req, res) => {
    const index = next++ % backends.length;
    hits[index] = (hits[index] ?? 0) + 1;
    const target = new URL(req.url ?? '/', backends[index]);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        hits,
        close: () => server.close(),
      }),
    ),
  );
}

let database: PostgresTestDatabase;
let dataDir: string;
const procs: Proc[] = [];

beforeAll(async () => {
  database = await createPostgresTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'outpost-two-'));
  // The first seeds the demo; the second finds it seeded.
  procs.push(await startProcess(database.url, dataDir));
  procs.push(await startProcess(database.url, dataDir));
}, 300_000);

afterAll(async () => {
  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(
    procs.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.on('exit', r)))),
  );
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('two server processes on one PostgreSQL', () => {
  it('share sessions, hear each other’s changes and both serve the device', async () => {
    const [first_, two] = procs;
    if (first_ === undefined || two === undefined) throw new Error('processes did not start');
    const proxy = await roundRobinProxy([first_.url, two.url]);
    try {
      const login = await fetch(`${proxy.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'fieldworker', password: DEMO_PASSWORD }),
      });
      expect(login.status, await login.clone().text()).toBe(200);
      const session = /outpost_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const headers = { cookie: `outpost_session=${session}`, 'x-csrf-token': csrfToken };

      // The session opened through one process works on both.
      for (let i = 0; i < 4; i += 1) {
        expect((await fetch(`${proxy.url}/api/v1/me`, { headers })).status).toBe(200);
      }
      expect(proxy.hits.every((n) => n >= 2)).toBe(true);

      // A device listens on the second process.
      const stream = await fetch(`${two.url}/api/v1/sync/changes`, { headers });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      const reader = stream.body!.getReader();
      let received = '';
      const waitFor = async (pattern: RegExp, ms: number): Promise<RegExpExecArray> => {
        const deadline = Date.now() + ms;
        for (;;) {
          const match = pattern.exec(received);
          if (match) return match;
          if (Date.now() > deadline) throw new Error(`not heard in time: ${received}`);
          const chunk = await Promise.race([
            reader.read(),
            new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now())),
          ]);
          if (chunk?.value) received += new TextDecoder().decode(chunk.value);
        }
      };
      await waitFor(/event: ready/, 10_000);

      // The device's first pull, through the proxy; then one of its cases, as the API shows it.
      const pull = async (cursors: PullPage['cursors']) => {
        const res = await fetch(`${proxy.url}/api/v1/sync/pull`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ protocol: PROTOCOL_VERSION, deviceId: 'tablet-two', cursors, maxBytes: 1_000_000 }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
        return (await res.json()) as PullPage;
      };
      const first = await pull({});
      const projects = (await (await fetch(`${proxy.url}/api/v1/projects`, { headers })).json()) as {
        items: { id: string; slug: string }[];
      };
      const project = projects.items.find((p) => /bayanzurkh|mongolia/.test(p.slug)) ?? projects.items[0];
      if (project === undefined) throw new Error('the field worker has no project');
      const listed = (await (
        await fetch(`${proxy.url}/api/v1/projects/${project.id}/cases?limit=1`, { headers })
      ).json()) as { items: { id: string }[] };
      const caseId = listed.items[0]?.id;
      if (caseId === undefined) throw new Error('no case in the field worker’s reach');
      const version = Number(pulledRecords(first).find((r) => r[0] === caseId)?.[3]);
      expect(version).toBeGreaterThan(0);

      // A change written through the first process: a visit to that case.
      const visit = `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_visit" version="${visitVersion}">
  <start/><end/><today>2026-03-05</today><username>fieldworker</username>
  <case_id>${caseId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <visit_location/><observations/><needs>cash</needs><next_visit_date>2026-04-05</next_visit_date><case_status>in_progress</case_status>
  <meta><instanceID>uuid:${randomUUID()}</instanceID>
    <entity dataset="cases" id="${caseId}" update="1" baseVersion="${version}" trunkVersion="${version}" branchId="${randomUUID()}"/></meta>
</data>`;
      const sent = await fetch(`${first_.url}/api/v1/projects/${project.id}/submissions`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/xml' },
        body: visit,
      });
      expect(sent.status, await sent.clone().text()).toBe(201);

      // The listener on the other process hears it, and a pull through either brings the new version.
      const heard = await waitFor(/event: changed\ndata: (\{[^\n]*\})/, 15_000);
      expect(JSON.parse(heard[1] ?? '{}')).toEqual({ projectId: project.id });
      await reader.cancel();
      for (let i = 0; i < 2; i += 1) {
        const after = pulledRecords(await pull(first.cursors)).find((r) => r[0] === caseId);
        expect(after?.[3]).toBe(version + 1);
      }
    } finally {
      proxy.close();
    }
  }, 180_000);
});
