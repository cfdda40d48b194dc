import { Option } from 'commander';
import type { Command } from 'commander';
import type { Config, ConfigKey, Store } from '@outpost/server';
import { configSchema, openConfiguredStore, resolveConfig } from '@outpost/server';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';

/** Adds the flags of the given settings, described from the one config schema. */
export function addConfigOptions(command: Command, keys: readonly ConfigKey[]): Command {
  for (const key of keys) {
    const spec = configSchema[key];
    const flag =
      spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} <${spec.kind === 'integer' ? 'n' : 'value'}>`;
    const shownDefault = spec.default === null ? '' : ` (default: ${String(spec.default)})`;
    command.addOption(new Option(flag, `${spec.description} [env ${spec.env}]${shownDefault}`));
  }
  return command;
}

export function configFromOptions(options: Record<string, unknown>, io: CliIo): Config {
  const explicit: Partial<Record<ConfigKey, string | boolean>> = {};
  for (const key of Object.keys(configSchema) as ConfigKey[]) {
    const value = options[key];
    if (typeof value === 'string' || typeof value === 'boolean') explicit[key] = value;
  }
  const result = resolveConfig(explicit, io.env);
  if (!result.ok) throw new CliError(`invalid settings:\n  ${result.errors.join('\n  ')}`);
  return result.config;
}

export const databaseKeys = ['dataDir', 'databaseUrl'] as const satisfies readonly ConfigKey[];

/** Opens the configured database for one command and always closes it. */
export async function withStore(
  options: Record<string, unknown>,
  io: CliIo,
  fn: (store: Store) => Promise<void>,
): Promise<void> {
  const config = configFromOptions(options, io);
  const store = await openConfiguredStore(config);
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}
