import path from 'node:path';

// One schema for every setting. The CLI turns each entry into a flag, the environment
// variable is read as a fallback, and `outpost start --help` prints the descriptions.
// Config is read only at the composition root (main.ts / the CLI), never inside modules.

type Kind = 'string' | 'integer' | 'boolean';

interface OptionSpec<K extends Kind> {
  readonly kind: K;
  readonly flag: string;
  readonly env: string;
  readonly description: string;
  readonly default: K extends 'integer' ? number : K extends 'boolean' ? boolean : string | null;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
}

export const configSchema = {
  host: {
    kind: 'string',
    flag: 'host',
    env: 'OUTPOST_HOST',
    default: '127.0.0.1',
    description: 'Address to listen on. Use 0.0.0.0 to serve tablets on the local network.',
  },
  port: {
    kind: 'integer',
    flag: 'port',
    env: 'OUTPOST_PORT',
    default: 8080,
    min: 0,
    max: 65535,
    description: 'TCP port to listen on (0 picks a free port).',
  },
  dataDir: {
    kind: 'string',
    flag: 'data-dir',
    env: 'OUTPOST_DATA_DIR',
    default: './data',
    description: 'Folder for the embedded SQLite database (outpost.db) and uploaded files.',
  },
  databaseUrl: {
    kind: 'string',
    flag: 'database-url',
    env: 'OUTPOST_DATABASE_URL',
    default: null,
    description: 'postgres://user@host:port/db to use PostgreSQL instead of the embedded SQLite database.',
  },
  demo: {
    kind: 'boolean',
    flag: 'demo',
    env: 'OUTPOST_DEMO',
    default: false,
    description: 'Seed the demo projects, cases and logins when the database is empty.',
  },
  validator: {
    kind: 'string',
    flag: 'validator',
    env: 'OUTPOST_VALIDATOR',
    default: 'compiled',
    choices: ['compiled', 'engine'],
    description:
      'How submissions are checked against their form: "compiled" (each form version\'s rules compiled once, the ODK engine only for forms they do not cover) or "engine" (the ODK engine for every submission; for comparison).',
  },
  logLevel: {
    kind: 'string',
    flag: 'log-level',
    env: 'OUTPOST_LOG_LEVEL',
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'Minimum level of the JSON logs written to stdout.',
  },
  sessionIdleMinutes: {
    kind: 'integer',
    flag: 'session-idle-minutes',
    env: 'OUTPOST_SESSION_IDLE_MINUTES',
    default: 30,
    min: 1,
    max: 1440,
    description: 'A session unused for this many minutes ends.',
  },
  sessionMaxHours: {
    kind: 'integer',
    flag: 'session-max-hours',
    env: 'OUTPOST_SESSION_MAX_HOURS',
    default: 12,
    min: 1,
    max: 720,
    description: 'A session ends this many hours after login, however active.',
  },
  loginMaxFailures: {
    kind: 'integer',
    flag: 'login-max-failures',
    env: 'OUTPOST_LOGIN_MAX_FAILURES',
    default: 5,
    min: 1,
    max: 100,
    description: 'Failed logins for one username before it is locked.',
  },
  loginLockMinutes: {
    kind: 'integer',
    flag: 'login-lock-minutes',
    env: 'OUTPOST_LOGIN_LOCK_MINUTES',
    default: 15,
    min: 1,
    max: 1440,
    description: 'How long a username stays locked after too many failed logins.',
  },
  bodyLimitBytes: {
    kind: 'integer',
    flag: 'body-limit-bytes',
    env: 'OUTPOST_BODY_LIMIT_BYTES',
    default: 1_048_576,
    min: 1024,
    max: 104_857_600,
    description: 'Largest request body accepted; larger bodies are refused before parsing.',
  },
  attachmentMaxBytes: {
    kind: 'integer',
    flag: 'attachment-max-bytes',
    env: 'OUTPOST_ATTACHMENT_MAX_BYTES',
    default: 26_214_400,
    min: 1024,
    max: 1_073_741_824,
    description:
      'Largest photo or file accepted as one attachment; larger uploads are refused before any byte is stored.',
  },
  secureCookies: {
    kind: 'boolean',
    flag: 'secure-cookies',
    env: 'OUTPOST_SECURE_COOKIES',
    default: false,
    description: 'Mark cookies Secure. Turn on whenever Outpost is served over HTTPS (it should be, beyond localhost).',
  },
  publicUrl: {
    kind: 'string',
    flag: 'public-url',
    env: 'OUTPOST_PUBLIC_URL',
    default: null,
    description:
      'The address users and ODK Collect reach the server at (https://outpost.example.org), for the links the server writes (form downloads, manifests, QR codes). Without it they follow the request.',
  },
  trustProxy: {
    kind: 'boolean',
    flag: 'trust-proxy',
    env: 'OUTPOST_TRUST_PROXY',
    default: false,
    description:
      'Behind a reverse proxy that terminates TLS: believe its X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-For headers. Leave off when clients reach the server directly.',
  },
  entityBacklogDays: {
    kind: 'integer',
    flag: 'entity-backlog-days',
    env: 'OUTPOST_ENTITY_BACKLOG_DAYS',
    default: 5,
    min: 1,
    max: 365,
    description:
      'Days an offline case change waits for an earlier one (its registration, a previous visit) before it is applied anyway, as ODK Central does after five days.',
  },
  webDir: {
    kind: 'string',
    flag: 'web-dir',
    env: 'OUTPOST_WEB_DIR',
    default: null,
    description: 'Folder of the built web app to serve at / (defaults to the bundled packages/web/dist).',
  },
  blobStore: {
    kind: 'string',
    flag: 'blob-store',
    env: 'OUTPOST_BLOB_STORE',
    default: 'local',
    choices: ['local', 's3'],
    description:
      'Where attachment, form media and basemap bytes are kept: "local" (files under the data folder) or "s3" (an S3-compatible object store; give --s3-bucket and, unless it is AWS, --s3-endpoint).',
  },
  s3Endpoint: {
    kind: 'string',
    flag: 's3-endpoint',
    env: 'OUTPOST_S3_ENDPOINT',
    default: null,
    description: 'URL of an S3-compatible service (MinIO, Garage, Ceph, a cloud provider); leave unset for AWS S3.',
  },
  s3Bucket: {
    kind: 'string',
    flag: 's3-bucket',
    env: 'OUTPOST_S3_BUCKET',
    default: null,
    description: 'Bucket that holds the blobs when --blob-store is s3. It must exist already.',
  },
  s3Region: {
    kind: 'string',
    flag: 's3-region',
    env: 'OUTPOST_S3_REGION',
    default: 'us-east-1',
    description: 'Region of the bucket (most S3-compatible services accept any).',
  },
  s3AccessKeyId: {
    kind: 'string',
    flag: 's3-access-key-id',
    env: 'OUTPOST_S3_ACCESS_KEY_ID',
    default: null,
    description: 'Access key id for the object store; without it the AWS SDK looks for credentials itself.',
  },
  s3SecretAccessKey: {
    kind: 'string',
    flag: 's3-secret-access-key',
    env: 'OUTPOST_S3_SECRET_ACCESS_KEY',
    default: null,
    description: 'Secret access key for the object store (prefer the environment variable to the flag).',
  },
  s3ForcePathStyle: {
    kind: 'boolean',
    flag: 's3-force-path-style',
    env: 'OUTPOST_S3_FORCE_PATH_STYLE',
    default: false,
    description:
      'Address the bucket as <endpoint>/<bucket> instead of <bucket>.<endpoint> (MinIO and most self-hosted stores need this).',
  },
} as const satisfies Record<string, OptionSpec<Kind>>;

type Schema = typeof configSchema;
type ValueOf<S> = S extends { kind: 'integer' }
  ? number
  : S extends { kind: 'boolean' }
    ? boolean
    : S extends { default: null }
      ? string | null
      : string;

export type Config = { -readonly [K in keyof Schema]: ValueOf<Schema[K]> };
export type ConfigKey = keyof Schema;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const truthy = new Set(['1', 'true', 'yes', 'on']);
const falsy = new Set(['0', 'false', 'no', 'off', '']);

/**
 * Resolve settings: an explicit value (from a CLI flag) wins over the environment, which wins
 * over the default. Values from flags arrive as strings or booleans, exactly as typed.
 */
export function resolveConfig(
  explicit: Partial<Record<ConfigKey, string | boolean | undefined>>,
  env: Record<string, string | undefined>,
): ConfigResult {
  const errors: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(configSchema) as Array<[ConfigKey, OptionSpec<Kind>]>) {
    const fromFlag = explicit[key];
    const raw = fromFlag ?? env[spec.env];
    const source = fromFlag !== undefined ? `--${spec.flag}` : spec.env;
    if (raw === undefined) {
      out[key] = spec.default;
      continue;
    }
    if (spec.kind === 'boolean') {
      if (typeof raw === 'boolean') out[key] = raw;
      else if (truthy.has(raw.toLowerCase())) out[key] = true;
      else if (falsy.has(raw.toLowerCase())) out[key] = false;
      else errors.push(`${source}: expected true or false, got "${raw}"`);
      continue;
    }
    const text = String(raw);
    if (spec.kind === 'integer') {
      if (!/^\d+$/.test(text)) {
        errors.push(`${source}: expected a whole number, got "${text}"`);
        continue;
      }
      const n = Number(text);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        errors.push(`${source}: ${n} is outside ${spec.min ?? '-∞'}..${spec.max ?? '∞'}`);
        continue;
      }
      out[key] = n;
      continue;
    }
    if (spec.choices && !spec.choices.includes(text)) {
      errors.push(`${source}: expected one of ${spec.choices.join(', ')}, got "${text}"`);
      continue;
    }
    out[key] = text === '' && spec.default === null ? null : text;
  }
  const dbUrl = out['databaseUrl'];
  if (typeof dbUrl === 'string' && !/^postgres(ql)?:\/\//.test(dbUrl)) {
    errors.push(`${configSchema.databaseUrl.env}: expected a postgres:// URL, got a value of another kind`);
  }
  if (out['blobStore'] === 's3' && (out['s3Bucket'] === null || out['s3Bucket'] === undefined)) {
    errors.push(`${configSchema.s3Bucket.env}: --blob-store s3 needs a bucket (--s3-bucket)`);
  }
  if ((out['s3AccessKeyId'] === null) !== (out['s3SecretAccessKey'] === null)) {
    errors.push(
      `${configSchema.s3AccessKeyId.env}: give both --s3-access-key-id and --s3-secret-access-key, or neither`,
    );
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: out as Config };
}

export function sqlitePathOf(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'outpost.db');
}
