import type { PolicyActor } from '@outpost/core';
import type { Store } from '@outpost/server';
import { editCase, findUserByUsername, loadSender, putCaseCategory, receiveSubmission } from '@outpost/server';
import type { Area, DemoActivity, DemoSubmission, FormDefinition } from '@outpost/templates';
import { instanceXml } from '@outpost/templates';
import { CliError } from '../io.js';
import { demoMemberships } from './demoMembers.js';

interface Sender {
  userId: string;
  actor: PolicyActor;
}

/**
 * Who sends a demo submission: the demo field worker of its area, else the supervisor whose
 * areas hold it, else the administrator; none when those logins do not exist (`outpost seed`
 * on a database without the demo logins), when the seed sends it as an operator's import.
 */
function senderName(template: string, areas: readonly Area[], submission: DemoSubmission): string {
  if (submission.username !== undefined) return submission.username;
  const parents = new Map(areas.map((a) => [a.code, a.parentCode]));
  const chain: string[] = [];
  for (let code = submission.areaCode; code !== null && code !== undefined; code = parents.get(code) ?? null)
    chain.push(code);
  const members = demoMemberships[template] ?? [];
  const covering = (role: string) =>
    members.find((m) => m.role === role && m.areas !== undefined && m.areas.some((a) => chain.includes(a)));
  return (covering('fieldworker') ?? covering('supervisor'))?.username ?? 'admin';
}

/**
 * Plays a template's demo activity into its project: defines the categories its cases carry,
 * receives every submission through `receiveSubmission` (the path of the REST and OpenRosa
 * routes, so the entity rules make the cases) at its own time, and tags cases as the
 * administrator does on the case page (`editCase`). Returns how many submissions it stored.
 */
export async function playDemoActivity(
  template: { name: string; definitions: readonly FormDefinition[]; areas: readonly Area[] },
  projectId: string,
  activity: DemoActivity,
  store: Store,
): Promise<number> {
  // One transaction: a demo half made is never left behind, and one commit is much faster than
  // one per submission.
  return store.transaction((tx) => play(template, projectId, activity, tx));
}

async function play(
  template: { name: string; definitions: readonly FormDefinition[]; areas: readonly Area[] },
  projectId: string,
  activity: DemoActivity,
  store: Store,
): Promise<number> {
  const first = activity.events[0]?.at ?? new Date().toISOString();
  for (const category of activity.categories) {
    const names = Object.fromEntries(
      Object.entries(category.names).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    await putCaseCategory(projectId, { code: category.code, names }, first, store);
  }
  const senders = new Map<string, Sender | null>();
  const sender = async (username: string): Promise<Sender | null> => {
    if (!senders.has(username)) {
      const user = await findUserByUsername(username, store);
      senders.set(username, user === undefined ? null : { userId: user.id, actor: await loadSender(user.id, store) });
    }
    return senders.get(username) ?? null;
  };
  const versions = new Map<string, number>();
  let stored = 0;
  for (const event of activity.events) {
    if (event.kind === 'tag') {
      const admin = await sender('admin');
      if (admin === null || event.categories.length === 0) continue;
      const change = { kind: 'tag' as const, categories: event.categories };
      const edit = { projectId, caseId: event.entityId, baseVersion: versions.get(event.entityId) ?? 1, force: false };
      const done = await editCase({ ...edit, change }, admin.actor, event.at, store);
      versions.set(done.entityId, done.version);
      continue;
    }
    const form = template.definitions.find((d) => d.formId === event.formId);
    if (form === undefined) throw new CliError(`demo ${template.name}: no form ${event.formId}`);
    const entity =
      event.entity === null
        ? undefined
        : event.entity.create
          ? { dataset: event.entity.dataset, id: event.entity.id, create: true as const, label: event.entity.label }
          : {
              dataset: event.entity.dataset,
              id: event.entity.id,
              update: true as const,
              baseVersion: versions.get(event.entity.id) ?? 1,
            };
    const username = senderName(template.name, template.areas, event);
    const by = await sender(username);
    const answers = by === null ? event.answers : { ...event.answers, username };
    const xml = instanceXml(form, answers, {
      instanceId: event.instanceId,
      ...(entity === undefined ? {} : { entity }),
    });
    const result = await receiveSubmission(
      {
        projectId,
        xml,
        userId: by?.userId ?? null,
        deviceId: null,
        ...(by === null ? {} : { policyActor: by.actor }),
        at: event.at,
      },
      store,
    );
    if (!result.ok) throw new CliError(`demo ${template.name}: ${event.formId} ${result.code}: ${result.detail}`);
    for (const change of result.receipt.entities)
      if (change.action === 'created' || change.action === 'updated') versions.set(change.entityId, change.version);
    stored += 1;
  }
  return stored;
}
