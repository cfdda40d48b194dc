import { readFile } from 'node:fs/promises';
import type { BlobStore, Store } from '@outpost/server';
import {
  DEMO_PASSWORD,
  addUser,
  createProject,
  findProjectBySlug,
  replaceProjectBasemap,
  systemClock,
  upsertAreas,
} from '@outpost/server';
import { templateFileUrl, templates } from '@outpost/templates';
import { CliError } from '../io.js';
import { addDemoMemberships, demoUsers } from './demoMembers.js';
import { playDemoActivity } from './seedActivity.js';
import { publishTemplateForms } from './seedForms.js';

export const demoPassword = DEMO_PASSWORD;

export { demoUsers } from './demoMembers.js';

export function templateNames(): string[] {
  return Object.keys(templates);
}

export interface SeedSummary {
  project: string;
  slug: string;
  created: boolean;
  areas: number;
  cases: number;
  /** Submissions received to make the cases and their follow-ups. */
  submissions: number;
  /** Form versions published now (the template's forms not yet in the project). */
  forms: number;
}

export interface SeedOptions {
  cases: number;
  seed: number;
  /** The moment the demo is dated back from (ms); now by default. */
  now?: number;
  /** Runs once the project and its forms exist, before any data (the demo gives its logins their memberships here). */
  beforeData?: (slug: string) => Promise<void>;
}

/**
 * Load one template's demo: its project and area list, its forms published, then every case made
 * by receiving the template forms' submissions (registrations, follow-ups, tags) dated over the
 * last months. Seeding a project that already exists only publishes the template forms it lacks,
 * so running it twice is safe.
 */
export async function seedTemplate(name: string, options: SeedOptions, store: Store): Promise<SeedSummary> {
  const template = templates[name];
  if (!template) throw new CliError(`unknown template "${name}"; choose one of: ${templateNames().join(', ')}`);
  // Mix the template's name into the seed: generators with one seed would share their id stream.
  const seed = seedFor(name, options.seed);
  const demo = template.generateDemo({ seed, cases: options.cases });
  const summary = { project: demo.project.name, slug: demo.project.slug };
  const existing = await findProjectBySlug(demo.project.slug, store);
  if (existing) {
    const forms = await publishTemplateForms(name, existing.id, store);
    return { ...summary, created: false, areas: 0, cases: 0, submissions: 0, forms };
  }
  const project = await store.transaction(async (tx) => {
    const created = await createProject({ slug: demo.project.slug, name: demo.project.name, template: name }, tx);
    await upsertAreas(
      created.id,
      demo.areaListVersion,
      demo.areas.map((a) => ({
        code: a.code,
        parentCode: a.parentCode,
        level: a.level,
        names: Object.fromEntries(
          Object.entries(a.name).filter((e): e is [string, string] => typeof e[1] === 'string'),
        ),
      })),
      tx,
    );
    return created;
  });
  // The forms first: the cases are made by their submissions. A form that cannot be published
  // leaves the project without data; seeding again publishes what is missing.
  const forms = await publishTemplateForms(name, project.id, store);
  // Nobody is added to the project: an administrator gives each user a role and a scope
  // (`outpost member add`, or the web app); the demo does it for its logins.
  await options.beforeData?.(demo.project.slug);
  const activity = template.demoActivity(demo, { seed, now: options.now ?? Date.now() });
  const submissions = await playDemoActivity(template, project.id, activity, store);
  return { ...summary, created: true, areas: demo.areas.length, cases: demo.entities.length, submissions, forms };
}

/**
 * The demo logins and every template's demo data, on an empty database only; with `blobs`, the
 * demo basemap (templates/basemaps/demo.pmtiles) as every demo project's offline map.
 */
export async function seedDemoIfEmpty(
  store: Store,
  cases: number,
  blobs?: BlobStore,
): Promise<{ seeded: boolean; summaries: SeedSummary[] }> {
  const anyUser = await store.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) return { seeded: false, summaries: [] };
  for (const { username, displayName, role } of demoUsers) {
    const result = await addUser({ username, displayName, role, password: demoPassword }, null, systemClock, store, {
      allowDemoPassword: true,
    });
    if (!result.ok) throw new CliError(`could not create demo user ${username}: ${result.detail}`);
  }
  const summaries: SeedSummary[] = [];
  for (const name of templateNames()) {
    const summary = await seedTemplate(
      name,
      { cases, seed: 2026, beforeData: (slug) => addDemoMemberships(name, slug, store) },
      store,
    );
    summaries.push(summary);
  }
  if (blobs !== undefined)
    await installDemoBasemap(
      summaries.map((s) => s.slug),
      blobs,
      store,
    );
  return { seeded: true, summaries };
}

async function installDemoBasemap(slugs: readonly string[], blobs: BlobStore, store: Store): Promise<void> {
  const bytes = new Uint8Array(await readFile(templateFileUrl('basemaps/demo.pmtiles')));
  for (const slug of slugs) {
    const project = await findProjectBySlug(slug, store);
    if (project === undefined) continue;
    const result = await replaceProjectBasemap(project.id, bytes, blobs, store);
    if (!result.ok) throw new CliError('templates/basemaps/demo.pmtiles is not a PMTiles v3 file');
  }
}

export function demoLoginsText(): string {
  const lines = demoUsers.map((u) => `  ${u.username.padEnd(13)} ${demoPassword}   ${u.role}: ${u.sees}`);
  return `Demo logins (username, password):\n${lines.join('\n')}\n`;
}

function seedFor(name: string, seed: number): number {
  let h = seed >>> 0;
  for (const ch of name) h = (Math.imul(h ^ ch.charCodeAt(0), 16_777_619) >>> 0) % 2 ** 31;
  return h;
}
