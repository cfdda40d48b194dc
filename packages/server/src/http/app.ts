import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { ProblemError, problem } from '@outpost/core';
import type { Clock } from '../auth/clock.js';
import { systemClock } from '../auth/clock.js';
import { sealPlainTotpSecrets } from '../auth/sealTotpSecrets.js';
import type { SecretBox } from '../auth/secretBox.js';
import { loadOrCreateServerKey, secretBox } from '../auth/secretBox.js';
import type { Store } from '../storage/store.js';
import type { BlobStore } from '../attachments/BlobStore.js';
import { attachmentDirs } from '../attachments/attachmentDirs.js';
import { createLocalDiskBlobStore } from '../attachments/localDiskBlobStore.js';
import { notFound, sendProblem, sendProblemCode } from './reply.js';
import { parseStrictJson } from './strictJson.js';
import { identifyFirst } from './authenticate.js';
import { decodeContentEncoding } from './bodyEncoding.js';
import { databaseRateLimitStore } from './rateLimitStore.js';
import type { EventLoopReport } from './eventLoopWatch.js';
import { watchEventLoop } from './eventLoopWatch.js';
import { warmValidation } from '../forms/validateInWorker.js';
import { reportEngineFallbacks, useValidator } from '../forms/validateSubmission.js';
import { appUserRoutes } from './routes/appUsers.js';
import { attachmentRoutes } from './routes/attachments.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { caseRoutes } from './routes/cases.js';
import { caseHistoryRoutes } from './routes/caseHistory.js';
import { caseChangeRoutes } from './routes/caseChanges.js';
import { caseMergeRoutes } from './routes/caseMerges.js';
import { caseImportRoutes } from './routes/caseImport.js';
import { basemapRoutes } from './routes/basemap.js';
import { conflictRoutes } from './routes/conflicts.js';
import { deviceRoutes } from './routes/devices.js';
import { exportRoutes } from './routes/exports.js';
import { folderRoutes } from './routes/folders.js';
import { formRoutes } from './routes/forms.js';
import { healthRoutes } from './routes/health.js';
import { memberRoutes } from './routes/members.js';
import { openRosaRoutes } from './routes/openrosa.js';
import { odataRoutes } from './routes/odata.js';
import { feedKeyRoutes } from './routes/feedKeys.js';
import { qualityRoutes } from './routes/quality.js';
import { dashboardRoutes } from './routes/dashboards.js';
import { projectRoutes } from './routes/projects.js';
import { submissionRoutes } from './routes/submissions.js';
import { submissionReviewRoutes } from './routes/submissionReview.js';
import { syncRoutes } from './routes/sync.js';
import { syncChangeRoutes } from './routes/syncChanges.js';
import { localChangeSource } from '../storage/changeNotices.js';
import type { ChangeSource } from '../storage/changeNotices.js';
import { userRoutes } from './routes/users.js';

export interface AppSettings {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  bodyLimitBytes: number;
  secureCookies: boolean;
  /** Folder with the built PWA; null serves no UI (API only). */
  webDir: string | null;
  /** Login attempts per IP address per minute before 429. */
  loginRateLimitPerMinute: number;
  /** Folder for attachment blobs and uploads in progress; null uses a temporary folder (tests). */
  dataDir: string | null;
  /** Largest attachment accepted, in bytes; larger uploads are refused before any byte is stored. */
  attachmentMaxBytes: number;
  /** Started with `--demo`: new accounts may be given the published demo password. */
  demo: boolean;
  /** The origin (and path) users reach the server at, for links the server writes; see `publicOrigin`. */
  publicUrl: string | null;
  /** Behind a TLS-terminating reverse proxy: Fastify believes its X-Forwarded-* headers. */
  trustProxy: boolean;
  /** How submissions are checked: compiled rules with the engine as fallback, or the engine always. */
  validator: 'compiled' | 'engine';
}

export interface AppDeps {
  store: Store;
  settings: AppSettings;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** Where attachment bytes are kept; defaults to local disk under settings.dataDir. */
  blobs?: BlobStore;
  /**
   * Seals secrets kept in the database (TOTP seeds); defaults to the key file in
   * settings.dataDir, or a key for this process alone when there is no data folder (tests).
   */
  secrets?: SecretBox;
  /**
   * Where this process hears that cases changed (storage/changeNotices.ts): on PostgreSQL every
   * process's writes (LISTEN/NOTIFY, wired by main.ts); defaults to this process's own writes.
   */
  changes?: ChangeSource;
}

export const defaultSettings: AppSettings = {
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  loginMaxFailures: 5,
  loginLockMinutes: 15,
  bodyLimitBytes: 1_048_576,
  secureCookies: false,
  webDir: null,
  loginRateLimitPerMinute: 30,
  dataDir: null,
  attachmentMaxBytes: 25 * 1024 * 1024,
  demo: false,
  publicUrl: null,
  trustProxy: false,
  validator: 'compiled',
};

/** The web app built beside this package, if it has been built. */
export function bundledWebDir(): string | null {
  const dir = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : null;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: Required<Pick<AppDeps, 'store' | 'settings' | 'clock' | 'blobs' | 'secrets' | 'changes'>>;
    /** Event-loop delay since the server started listening (eventLoopWatch.ts). */
    eventLoop: () => EventLoopReport;
    /** Every route the app serves, as registered: what the abuse suite walks. */
    routeTable: ReadonlyArray<{ method: string; url: string }>;
  }
}

export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  // The form engine's XPath parser is WebAssembly: allow compiling it, but never JavaScript eval.
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
};

const jsonRefusals = {
  malformed: 'request.malformed-json',
  'duplicate-key': 'request.duplicate-key',
  'too-deep': 'request.too-deep',
} as const;

function refuseNonFinite(values: unknown, part: 'querystring' | 'params'): void {
  if (typeof values !== 'object' || values === null) return;
  for (const [key, value] of Object.entries(values)) {
    const numbers: unknown[] = Array.isArray(value) ? value : [value];
    if (numbers.some((n) => typeof n === 'number' && !Number.isFinite(n))) {
      throw new ProblemError('request.invalid', `${part}/${key} must be a finite number`, { field: `/${key}` });
    }
  }
}

function defaultSecretBox(dataDir: string | null): SecretBox {
  return secretBox(dataDir === null ? randomBytes(32) : loadOrCreateServerKey(dataDir));
}

/** Builds the Fastify app; it never listens (tests use inject, main.ts listens). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.settings.bodyLimitBytes,
    // Ids in URLs are UUIDs; anything longer is not ours.
    routerOptions: { maxParamLength: 200 },
    // Only behind a reverse proxy the operator names (`--trust-proxy`): X-Forwarded-* from a
    // client that reaches the server directly would otherwise choose the links it gets.
    trustProxy: deps.settings.trustProxy,
    // Unknown body fields are refused, never silently dropped: a client that sends a field it
    // may not set learns so (no mass assignment, S3).
    // `coerceTypes: true` rather than Fastify's 'array': a one-element array (`{"name": ["x"]}`)
    // is refused where a string is expected instead of being unwrapped into one. No route
    // declares an array in its querystring, so nothing relied on the wrapping.
    ajv: { customOptions: { removeAdditional: false, allErrors: false, coerceTypes: true } },
  });
  app.decorate('deps', {
    store: deps.store,
    settings: deps.settings,
    clock: deps.clock ?? systemClock,
    blobs: deps.blobs ?? createLocalDiskBlobStore(attachmentDirs(deps.settings.dataDir).blobs),
    secrets: deps.secrets ?? defaultSecretBox(deps.settings.dataDir),
    changes: deps.changes ?? localChangeSource(),
  });
  useValidator(deps.settings.validator ?? 'compiled');
  // Secrets an older version stored in plain text are sealed before the first login.
  await sealPlainTotpSecrets(app.deps.secrets, deps.store);

  const routeTable: Array<{ method: string; url: string }> = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  // Watched from the moment the server listens (startup work is not a stalled request).
  let eventLoop: ReturnType<typeof watchEventLoop> | null = null;
  app.decorate('eventLoop', () => eventLoop?.report() ?? { recentMaxMs: 0, maxMs: 0 });
  app.addHook('onListen', async () => {
    eventLoop ??= watchEventLoop((details, message) => app.log.warn(details, message));
    reportEngineFallbacks((details, message) => app.log.warn(details, message));
    // The engine loads in the validation workers while nobody waits for it.
    void warmValidation();
  });
  app.addHook('onClose', async () => {
    eventLoop?.stop();
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    const parsed = parseStrictJson(text);
    if (parsed.ok) done(null, parsed.value);
    else done(new ProblemError(jsonRefusals[parsed.reason], parsed.detail));
  });

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: deps.settings.secureCookies,
  });
  await app.register(cookie);
  // Who is asking is settled before the body is read (identifyFirst, after the cookie parser),
  // and the body's encoding before it is parsed (decodeContentEncoding): a refused request costs
  // no inflating or parsing.
  app.addHook('onRequest', identifyFirst);
  app.addHook('preParsing', async (request, _reply, payload) => decodeContentEncoding(request, payload));
  await app.register(rateLimit, {
    global: false,
    // Counted in the database, so processes behind one load balancer share the limit.
    store: databaseRateLimitStore(deps.store, app.deps.clock),
    errorResponseBuilder: (_req, ctx) => {
      const p = problem('request.rate-limited', `Retry in ${Math.ceil(ctx.ttl / 1000)} seconds.`);
      return Object.assign(new Error(p.title), { statusCode: 429, problem: p });
    },
  });

  // ajv coerces `1e400` to Infinity and then, with strictNumbers, skips minimum and maximum for
  // a value that is not finite: refused here, once for every route, after validation coerced it.
  app.addHook('preHandler', async (request) => {
    refuseNonFinite(request.query, 'querystring');
    refuseNonFinite(request.params, 'params');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/healthz') || request.url.startsWith('/readyz')) {
      reply.header('cache-control', 'no-store');
    } else if (request.url === '/sw.js' || request.url === '/' || request.url.startsWith('/index.html')) {
      // The service worker and the shell must be revalidated so a new release reaches tablets.
      reply.header('cache-control', 'no-cache');
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError & { problem?: unknown }, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error.problem);
    if (error.problem && typeof error.problem === 'object') {
      return sendProblem(reply, error.problem as ReturnType<typeof problem>);
    }
    if (error.validation) {
      const first = error.validation[0];
      const field = first?.instancePath || (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      return sendProblemCode(
        reply,
        'request.invalid',
        `${error.validationContext ?? 'request'}${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`,
        field ? { field: String(field) } : {},
      );
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblemCode(reply, 'request.too-large', `The limit is ${deps.settings.bodyLimitBytes} bytes.`);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblemCode(reply, 'request.unsupported-media-type');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblemCode(reply, 'request.malformed-json');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblemCode(reply, 'request.invalid', 'The Content-Length header does not match the body.');
      default:
        break;
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblemCode(reply, 'request.invalid', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblemCode(reply, 'server.internal');
  });

  await app.register(healthRoutes);
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(userRoutes);
      await api.register(deviceRoutes);
      await api.register(appUserRoutes);
      await api.register(projectRoutes);
      await api.register(memberRoutes);
      await api.register(caseRoutes);
      await api.register(caseHistoryRoutes);
      await api.register(caseChangeRoutes);
      await api.register(caseMergeRoutes);
      await api.register(caseImportRoutes);
      await api.register(folderRoutes);
      await api.register(basemapRoutes);
      await api.register(formRoutes);
      await api.register(exportRoutes);
      await api.register(feedKeyRoutes);
      await api.register(qualityRoutes);
      await api.register(dashboardRoutes);
      await api.register(submissionRoutes);
      await api.register(submissionReviewRoutes);
      await api.register(auditRoutes);
      await api.register(syncRoutes);
      await api.register(syncChangeRoutes);
      await api.register(conflictRoutes);
      await api.register(attachmentRoutes);
    },
    { prefix: '/api/v1' },
  );
  // OpenRosa under ODK Central's URL layout: web users with HTTP Basic, app users by key.
  await app.register(openRosaRoutes, { prefix: '/v1' });
  await app.register(openRosaRoutes, { prefix: '/v1/key/:token' });
  await app.register(odataRoutes, { prefix: '/v1' });

  const webDir = deps.settings.webDir;
  if (webDir) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/');
    // Client-side routes of the PWA fall back to its index.html.
    if (!isApi && webDir && request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendProblem(reply, notFound(request));
  });

  return app;
}
