import type { Command } from 'commander';
import { QueryError, parseAge, parseQuery } from '@outpost/core';
import type { CaseQuery } from '@outpost/core';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { importCases, migrate, searchProjectCases } from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { addConfigOptions, databaseKeys, withStore } from './options.js';
import { projectArg } from './projectArg.js';

interface SearchFlags {
  project: string;
  list?: string;
  limit?: string;
  json?: boolean;
  age?: string;
  sex?: string;
  area?: string[];
  needs?: string;
  reg?: string;
  today?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Flags as query terms, read by the same parser as the text so both mean the same. */
function flagFilters(flags: SearchFlags): Partial<CaseQuery> {
  const terms: string[] = [];
  if (flags.sex !== undefined) terms.push(`sex:${flags.sex}`);
  if (flags.needs !== undefined) terms.push(`needs:${flags.needs}`);
  const parsed = parseQuery(terms.join(' '), ['needs']);
  return {
    ...(flags.age === undefined ? {} : { age: parseAge(flags.age) }),
    ...(parsed.sex === null ? {} : { sex: parsed.sex }),
    ...(flags.reg === undefined ? {} : { register: flags.reg }),
    areas: flags.area ?? [],
    selects: parsed.selects,
  };
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return 50;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new CliError(`cases search: --limit: "${text}" is not a whole number from 1 to 10000`);
  }
  return limit;
}

async function readRegister(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    if (code === 'ENOENT') throw new CliError(`cases import: ${file}: no such file`);
    throw new CliError(`cases import: ${file}: cannot be read (${err instanceof Error ? err.message : String(err)})`);
  }
}

function registerImport(cases: Command, io: CliIo): void {
  addConfigOptions(
    cases
      .command('import')
      .description(
        'Import an existing register (.csv or .xlsx): the header names the list\'s properties, "label" is required, "__id" updates a case. A file with any problem is refused whole.',
      )
      .argument('<file>', 'the register, .csv (UTF-8) or .xlsx (first sheet)')
      .requiredOption('--project <id or slug>', 'the project to import into')
      .requiredOption('--list <name>', "the entity list, as the forms' save_to names it (e.g. cases)"),
    databaseKeys,
  ).action(async (file: string, options: Record<string, unknown>) => {
    const bytes = await readRegister(file);
    await withStore(options, io, async (store) => {
      await migrate(store);
      const project = await projectArg(String(options['project']), 'cases import', store);
      const listName = String(options['list']);
      const result = await importCases(
        { projectId: project.id, listName, fileName: path.basename(file), bytes, actorId: null },
        store,
      );
      if (!result.ok) {
        for (const p of result.problems) {
          const where = [p.row === null ? null : `row ${p.row}`, p.column].filter((x) => x !== null).join(', ');
          io.err(`${file}${where === '' ? '' : `: ${where}`}: ${p.message}\n`);
        }
        throw new CliError(`cases import: ${file}: ${result.problems.length} problem(s), nothing imported`);
      }
      io.out(
        `Imported ${result.created + result.updated} case(s) into ${listName} of ${project.slug}: ${result.created} new, ${result.updated} updated.\n`,
      );
    });
  });
}

/** `outpost cases search` and `outpost cases import`. */
export function registerCaseCommands(program: Command, io: CliIo): void {
  const cases = program.command('cases').description('Search and import cases.');
  registerImport(cases, io);
  addConfigOptions(
    cases
      .command('search')
      .description(
        'Search a project\'s cases as the app does: names in Cyrillic or Latin, with filters such as "age:60+ area:CODE needs:heating".',
      )
      .argument('[query]', 'names and filters, e.g. "bat erdene age:60+"', '')
      .requiredOption('--project <id or slug>', 'the project to search')
      .option('--list <name>', 'the entity list (default: the first with cases)')
      .option('--limit <n>', 'at most this many results (default 50)')
      .option('--age <range>', 'age or range: 60+, 18-35, -5, 42')
      .option('--sex <f|m>', 'female or male')
      .option('--area <code or name>', 'an area and everything below it (repeatable)', collect)
      .option('--needs <values>', 'needs: a,b for any of them, a+b for all')
      .option('--reg <number>', 'register number, or the prefix of its letters')
      .option('--today <date>', 'count ages on this date (YYYY-MM-DD) instead of today')
      .option('--json', 'print one JSON array, best match first'),
    databaseKeys,
  ).action(async (query: string, options: Record<string, unknown>) => {
    const flags = options as unknown as SearchFlags;
    const limit = limitOf(flags.limit);
    const today = flags.today ?? new Date().toISOString().slice(0, 10);
    await withStore(options, io, async (store) => {
      await migrate(store);
      const project = await projectArg(flags.project, 'cases search', store);
      let result;
      try {
        result = await searchProjectCases(
          project.id,
          query,
          { listName: flags.list ?? null, limit, filters: flagFilters(flags), today },
          store,
        );
      } catch (err) {
        if (err instanceof QueryError) throw new CliError(`cases search: ${err.message}`);
        throw err;
      }
      const items = result.hits.map((h) => ({
        id: h.id,
        label: h.label,
        score: h.score,
        properties: h.properties,
        highlights: h.highlights,
      }));
      if (flags.json === true) io.out(`${JSON.stringify(items)}\n`);
      else if (items.length === 0) io.out('No case matches.\n');
      else for (const item of items) io.out(`${item.label}\t${item.id}\n`);
    });
  });
}
