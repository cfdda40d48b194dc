import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Option } from 'commander';
import type { Command } from 'commander';
import { exportForm, exportFormats, findForm, migrate } from '@outpost/server';
import type { ExportFormat } from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { addConfigOptions, databaseKeys, withStore } from './options.js';
import { projectArg } from './projectArg.js';

/** `outpost export`: a form's submissions to a file, written whole or not at all. */
export function registerExportCommand(program: Command, io: CliIo): void {
  addConfigOptions(
    program
      .command('export')
      .description(
        "Export a form's submissions: csv (ODK Central's .csv.zip, one table per repeat), xlsx (a sheet per table) or geojson.",
      )
      .requiredOption('--project <id or slug>', 'the project')
      .requiredOption('--form <form id>', 'the form, by its form_id')
      .addOption(new Option('--format <format>', 'what to write').choices(exportFormats).makeOptionMandatory())
      .requiredOption('--out <path>', 'the file to write'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    const out = String(options['out']);
    const format = String(options['format']) as ExportFormat;
    await withStore(options, io, async (store) => {
      await migrate(store);
      const project = await projectArg(String(options['project']), 'export', store);
      const form = await findForm(project.id, String(options['form']), store);
      if (form === undefined)
        throw new CliError(`export: --form: no form "${String(options['form'])}" in ${project.slug}`);
      // Written beside the target and renamed at the end: a failed export leaves no half file.
      const partial = `${out}.partial`;
      const file = createWriteStream(partial, { mode: 0o600 });
      try {
        const result = await exportForm({ formId: form.id, format, actorId: null }, store, file);
        file.end();
        await finished(file);
        await rename(partial, out);
        io.out(`Exported ${result.submissions} submission(s) of ${form.xml_form_id} to ${out}.\n`);
      } catch (err) {
        file.destroy();
        await rm(partial, { force: true });
        throw err;
      }
    });
  });
}
