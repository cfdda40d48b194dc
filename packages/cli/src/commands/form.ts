import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { CompileIssue } from '@outpost/core';
import {
  MAX_FORM_MEDIA_BYTES,
  blobStoreFrom,
  compileInWorker,
  describeIssue,
  findProjectById,
  findProjectBySlug,
  migrate,
  publishForm,
} from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { addConfigOptions, configFromOptions, databaseKeys, withStore } from './options.js';

/** The media files given with `--media`, read whole (each bounded before it is read). */
async function readMedia(files: readonly string[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  const media = [];
  for (const file of files) {
    const size = await stat(file).then(
      (s) => (s.isFile() ? s.size : null),
      () => null,
    );
    if (size === null) throw new CliError(`form publish: --media ${file}: no such file`);
    if (size > MAX_FORM_MEDIA_BYTES) {
      throw new CliError(`form publish: --media ${file}: ${size} bytes; at most ${MAX_FORM_MEDIA_BYTES} are accepted`);
    }
    media.push({ name: path.basename(file), bytes: new Uint8Array(await readFile(file)) });
  }
  return media;
}

async function readXlsx(file: string, command: string): Promise<Uint8Array> {
  if (/\.xls$/i.test(file)) {
    throw new CliError(`${command}: ${file} is an old Excel 97-2003 workbook; save it as .xlsx and try again`);
  }
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    if (code === 'ENOENT') throw new CliError(`${command}: ${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${command}: ${file} is a folder, not a workbook`);
    throw new CliError(`${command}: ${file}: cannot be read (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** A file that is no .xlsx at all gets one line, not a list of issues. */
function notAWorkbook(command: string, errors: readonly CompileIssue[]): void {
  const only = errors.length === 1 ? errors[0] : undefined;
  if (only?.code === 'xlsform.not-xlsx') throw new CliError(`${command}: ${only.message}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `outpost form compile` and `outpost form publish`. */
export function registerFormCommands(program: Command, io: CliIo): void {
  const form = program.command('form').description('Compile and publish XLSForms.');

  form
    .command('compile')
    .description('Compile an XLSForm (.xlsx) to an ODK XForm; errors name sheet, row and column.')
    .argument('<file>', 'the XLSForm workbook (.xlsx)')
    .option('--out <file>', 'write the XForm here instead of standard output')
    .action(async (file: string, options: { out?: string }) => {
      const bytes = await readXlsx(file, 'form compile');
      const name = path.basename(file);
      const compiled = await compileInWorker(name, bytes);
      if (!compiled.ok && compiled.code !== 'form.invalid')
        throw new CliError(`form compile: ${file}: ${compiled.detail}`);
      if (!compiled.ok) {
        notAWorkbook('form compile', compiled.errors);
        for (const issue of compiled.errors) io.err(`${describeIssue(file, issue)}\n`);
        throw new CliError(`form compile: ${file}: ${compiled.errors.length} error(s), nothing written`);
      }
      for (const warning of compiled.warnings) io.err(`warning: ${describeIssue(file, warning)}\n`);
      if (options.out === undefined) io.out(compiled.xform.endsWith('\n') ? compiled.xform : `${compiled.xform}\n`);
      else await writeFile(options.out, compiled.xform, 'utf8');
    });

  addConfigOptions(
    form
      .command('publish')
      .description('Store an XLSForm as a new version of its form in a project.')
      .argument('<file>', 'the XLSForm workbook (.xlsx)')
      .requiredOption('--project <id or slug>', 'the project to publish to')
      .option(
        '--media <files...>',
        'images, audio, video, CSV or GeoJSON files the form names as jr://images/…, jr://file/… (by file name)',
      ),
    databaseKeys,
  ).action(async (file: string, options: Record<string, unknown>) => {
    const bytes = await readXlsx(file, 'form publish');
    const media = await readMedia(Array.isArray(options['media']) ? options['media'].map(String) : []);
    const blobs = blobStoreFrom(configFromOptions(options, io));
    const wanted = String(options['project']);
    await withStore(options, io, async (store) => {
      await migrate(store);
      const project = UUID.test(wanted)
        ? await findProjectById(wanted.toLowerCase(), store)
        : await findProjectBySlug(wanted, store);
      if (!project) throw new CliError(`form publish: --project: no project "${wanted}"`);
      const result = await publishForm(
        { projectId: project.id, fileName: path.basename(file), bytes, actorId: null, media, blobs },
        store,
      );
      if (!result.ok) {
        if (result.code === 'form.invalid') {
          notAWorkbook('form publish', result.errors);
          for (const issue of result.errors) io.err(`${describeIssue(file, issue)}\n`);
          throw new CliError(`form publish: ${file}: ${result.errors.length} error(s), nothing published`);
        }
        throw new CliError(`form publish: ${result.detail}`);
      }
      const f = result.form;
      io.out(
        f.created
          ? `Published ${f.formId} version ${f.version} to ${project.slug}.\n`
          : `${f.formId} version ${f.version} is already published in ${project.slug}; nothing changed.\n`,
      );
      if (media.length > 0) io.out(`Media stored: ${media.map((m) => m.name).join(', ')}.\n`);
      if (f.missingMedia.length > 0) {
        io.out(
          `Media the form names but not given (publish again with --media to add them): ${f.missingMedia.join(', ')}.\n`,
        );
      }
    });
  });
}
