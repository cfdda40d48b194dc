/** The survey's `parameters` column: `key=value` pairs separated by spaces, commas or semicolons. */
export type Parameters = Record<string, string>;

export function parseParameters(raw: string | undefined): Parameters {
  const out: Parameters = {};
  if (!raw) return out;
  for (const part of raw.split(/[\s;,]+/)) {
    const [k, v] = part.split('=');
    if (k && v !== undefined) out[k.trim().toLowerCase()] = v.trim();
  }
  return out;
}

/** The `parameters` keys each question type accepts (pyxform's Parameters* enums). */
const ACCEPTED: Record<string, string[]> = {
  audio: ['quality'],
  audit: [
    'identify-user',
    'location-max-age',
    'location-min-interval',
    'location-priority',
    'track-changes',
    'track-changes-reasons',
  ],
  geopoint: ['allow-mock-accuracy', 'capture-accuracy', 'reference-geometry', 'warning-accuracy'],
  geotrace: ['allow-mock-accuracy', 'incremental', 'reference-geometry'],
  geoshape: ['allow-mock-accuracy', 'incremental', 'reference-geometry'],
  image: ['app', 'max-pixels'],
  range: ['end', 'placeholder', 'start', 'step', 'tick_interval', 'tick_labelset'],
  select: ['randomize', 'seed'],
  'select from file': ['label', 'randomize', 'seed', 'value'],
  text: ['rows'],
};

const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;
const TRUE_FALSE = ['true', 'false'];

/** Which accepted-key list applies to a question, or null when the type takes no parameters we check. */
export function parameterKind(typeName: string, select: { fromFile: boolean } | undefined): string | null {
  if (select) return select.fromFile ? 'select from file' : 'select';
  return typeName in ACCEPTED ? typeName : null;
}

/** Problems with a question's parameters, in words, as pyxform reports them. */
export function parameterProblems(kind: string, params: Parameters): string[] {
  const accepted = ACCEPTED[kind] ?? [];
  const extra = Object.keys(params).filter((k) => !accepted.includes(k));
  if (extra.length > 0)
    return [`the parameter(s) ${extra.sort().join(', ')} are not accepted here; accepted: ${accepted.join(', ')}`];
  const problems: string[] = [];
  const need = (ok: boolean, message: string): void => {
    if (!ok) problems.push(message);
  };
  const value = (k: string): string | undefined => params[k]?.toLowerCase();
  const numeric = (k: string, positive = false): void => {
    const v = params[k];
    if (v !== undefined)
      need(
        NUMBER.test(v) && (!positive || Number(v) >= 0),
        `${k} must be a number${positive ? ' of at least 0' : ''}, not "${v}"`,
      );
  };
  const oneOf = (k: string, options: string[]): void => {
    const v = value(k);
    if (v !== undefined) need(options.includes(v), `${k} must be one of ${options.join(', ')}, not "${params[k]}"`);
  };
  if (kind === 'audio') oneOf('quality', ['voice-only', 'low', 'normal', 'external']);
  if (kind === 'image') {
    const v = params['max-pixels'];
    if (v !== undefined)
      need(/^\d+$/.test(v) && Number(v) > 0, `max-pixels must be a whole number above 0, not "${v}"`);
  }
  if (kind === 'geopoint') for (const k of ['capture-accuracy', 'warning-accuracy']) numeric(k, true);
  if (kind === 'range') {
    for (const k of ['start', 'end', 'step']) numeric(k);
    need(params['step'] === undefined || Number(params['step']) !== 0, 'step must not be 0');
  }
  if (kind === 'select' || kind === 'select from file') {
    oneOf('randomize', TRUE_FALSE);
    need(params['seed'] === undefined || value('randomize') === 'true', 'seed only applies with randomize=true');
  }
  if (kind === 'audit') checkAudit(params, need, oneOf);
  return problems;
}

function checkAudit(
  params: Parameters,
  need: (ok: boolean, message: string) => void,
  oneOf: (k: string, options: string[]) => void,
): void {
  const location = ['location-priority', 'location-min-interval', 'location-max-age'];
  const given = location.filter((k) => params[k] !== undefined);
  need(
    given.length === 0 || given.length === 3,
    'to record locations in the audit, give all three of location-priority, location-min-interval and location-max-age',
  );
  oneOf('location-priority', ['no-power', 'low-power', 'balanced', 'high-accuracy']);
  for (const k of ['location-min-interval', 'location-max-age']) {
    const v = params[k];
    if (v !== undefined) need(/^\d+$/.test(v), `${k} must be a whole number of seconds, not "${v}"`);
  }
  for (const k of ['track-changes', 'identify-user']) oneOf(k, TRUE_FALSE);
  oneOf('track-changes-reasons', ['on-form-edit']);
}
