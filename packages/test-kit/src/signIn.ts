import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { totpCodeAt } from '@outpost/server';

export interface SignedIn {
  /** `cookie` header value carrying the session. */
  cookie: string;
  csrf: string;
  /** Headers for a cookie-authenticated write. */
  headers: { cookie: string; 'x-csrf-token': string };
  login: LightMyRequestResponse;
}

/**
 * Logs a persona in through the API. Administrators and supervisors must enrol a second factor
 * first; this completes that enrolment (once per user) the way a person would, with the code
 * their authenticator shows at `now`, and remembers the secret for later logins.
 */
export async function signIn(
  app: FastifyInstance,
  username: string,
  password: string,
  now: () => Date = () => new Date(),
): Promise<SignedIn> {
  const secret = secrets.get(app)?.get(username);
  const body: Record<string, string> = { username, password };
  if (secret !== undefined) body['totp'] = totpCodeAt(secret, now());
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body });
  if (login.statusCode !== 200) throw new Error(`login of ${username} failed: ${login.statusCode} ${login.body}`);
  const token = login.cookies.find((c) => c.name === 'outpost_session')?.value;
  if (token === undefined) throw new Error('no session cookie');
  const json = login.json<{ csrfToken: string; twoFactorEnrolmentRequired: boolean }>();
  const headers = { cookie: `outpost_session=${token}`, 'x-csrf-token': json.csrfToken };
  if (json.twoFactorEnrolmentRequired) {
    const enrol = await app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', headers });
    const { secret: fresh } = enrol.json<{ secret: string }>();
    const confirm = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/confirm',
      headers,
      payload: { code: totpCodeAt(fresh, now()) },
    });
    if (confirm.statusCode !== 204) throw new Error(`enrolment of ${username} failed: ${confirm.body}`);
    let perApp = secrets.get(app);
    if (!perApp) secrets.set(app, (perApp = new Map<string, string>()));
    perApp.set(username, fresh);
  }
  return { cookie: headers.cookie, csrf: json.csrfToken, headers, login };
}

const secrets = new WeakMap<FastifyInstance, Map<string, string>>();
