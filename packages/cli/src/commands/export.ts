import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Option } from 'commander';
import type { Command } from 'commander';
import { ExportError, exportForm, exportFormats, exportLanguages, findForm, migrate } from '@outpost/server';
import type { DwcOptions, ExportFormat, ExportLanguage, Project } from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { addConfigOptions, databaseKeys, withStore } from './options.js';
import { projectArg } from './projectArg.js';

function dwcOptions(options: Record<string, unknown>, project: Project, formId: string): DwcOptions {
  const text = (key: string): string | undefined => (typeof options[key] === 'string' ? options[key] : undefined);
  const country = text('country');
  if (country === undefined || !/^[A-Z]{2}$/.test(country)) {
    throw new CliError('export: --format dwca needs --country, a two-letter ISO 3166-1 code such as PG');
  }
  const contactEmail = text('contactEmail');
  if (contactEmail === undefined || !/^[^@\s]+@[^@\s]+$/.test(contactEmail)) {
    throw new CliError('export: --format dwca needs --contact-email, the address of the dataset contact');
  }
  return {
    countryCode: country,
    contactEmail,
    kingdom: text('kingdom') ?? 'Animalia',
    publisher: text('publisher') ?? project.name,
    title: text('title') ?? `${project.name}: ${formId}`,
    description: text('description') ?? `Occurrences recorded with the form ${formId} in ${project.name}.`,
    licence: text('licence') ?? '',
    pubDate: new Date().toISOString().slice(0, 10),
  };
}

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
      .requiredOption('--out <path>', 'the file to write')
      .addOption(
        new Option('--lang <language>', 'column headers and choice labels in this language (default: names)').choices(
          exportLanguages,
        ),
      )
      .option('--country <code>', 'dwca: ISO 3166-1 alpha-2 country code of the occurrences, e.g. PG')
      .option('--contact-email <email>', 'dwca: the dataset contact')
      .option('--publisher <name>', 'dwca: publishing organisation (default: the project name)')
      .option('--title <text>', 'dwca: dataset title (default: project and form)')
      .option('--description <text>', 'dwca: dataset description')
      .option('--licence <text>', 'dwca: licence', 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)')
      .option('--kingdom <name>', 'dwca: kingdom of the species recorded', 'Animalia'),
    databaseKeys,
  ).action(async (options: Record<string, unknown>) => {
    const out = String(options['out']);
    const format = String(options['format']) as ExportFormat;
    const lang = typeof options['lang'] === 'string' ? (options['lang'] as ExportLanguage) : undefined;
    await withStore(options, io, async (store) => {
      await migrate(store);
      const project = await projectArg(String(options['project']), 'export', store);
      const form = await findForm(project.id, String(options['form']), store);
      if (form === undefined)
        throw new CliError(`export: --form: no form "${String(options['form'])}" in ${project.slug}`);
      // Written beside the target and renamed at the end: a failed export leaves no half file.
      const dwc = format === 'dwca' ? dwcOptions(options, project, form.xml_form_id) : undefined;
      const partial = `${out}.partial`;
      const file = createWriteStream(partial, { mode: 0o600 });
      try {
        const result = await exportForm(
          { formId: form.id, format, actorId: null, ...(dwc ? { dwc } : {}), ...(lang ? { lang } : {}) },
          store,
          file,
        );
        file.end();
        await finished(file);
        await rename(partial, out);
        io.out(`Exported ${result.submissions} submission(s) of ${form.xml_form_id} to ${out}.\n`);
      } catch (err) {
        file.destroy();
        await rm(partial, { force: true });
        if (err instanceof ExportError) throw new CliError(`export: ${err.message}`);
        throw err;
      }
    });
  });
}
