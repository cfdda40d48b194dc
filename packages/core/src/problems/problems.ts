// The catalogue of problems Outpost reports to clients. Codes are stable and never reused:
// clients (the PWA, scripts, Power BI users reading error bodies) may branch on them.
// docs/errors.md is generated from this list and a test keeps the two in step.

export interface ProblemDefinition {
  readonly status: number;
  readonly title: string;
  /** When a client sees this, and what a user can do about it. */
  readonly description: string;
}

export const problemCatalogue = {
  'request.invalid': {
    status: 400,
    title: 'The request is not valid',
    description: 'A parameter or body field is missing, of the wrong type or out of range. The detail names it.',
  },
  'request.malformed-json': {
    status: 400,
    title: 'The request body is not valid JSON',
    description: 'The body could not be parsed as JSON. Nothing was written.',
  },
  'request.duplicate-key': {
    status: 400,
    title: 'The request body repeats a JSON key',
    description:
      'A JSON object in the body has the same key twice. Outpost refuses such bodies because parsers disagree on which value wins.',
  },
  'request.too-large': {
    status: 413,
    title: 'The request body is too large',
    description: 'The body is larger than the limit for this endpoint. Nothing was written; send less at a time.',
  },
  'request.malformed-encoding': {
    status: 400,
    title: 'The request body does not match its Content-Encoding',
    description:
      'The body was sent as gzip but is not valid gzip (corrupt or cut short). Nothing was written; send the body again, whole.',
  },
  'request.too-deep': {
    status: 400,
    title: 'The request body is nested too deeply',
    description:
      'A JSON body nests arrays and objects deeper than the server reads (64 levels; no Outpost message comes near). Nothing was written.',
  },
  'request.unsupported-media-type': {
    status: 415,
    title: 'The content type is not supported',
    description: 'Send the body as application/json (or the type the endpoint documents).',
  },
  'request.not-found': {
    status: 404,
    title: 'Not found',
    description: 'No resource exists at this address, or you may not know that it exists.',
  },
  'request.method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    description: 'The resource exists but does not accept this HTTP method.',
  },
  'request.rate-limited': {
    status: 429,
    title: 'Too many requests',
    description: 'Slow down and retry after the number of seconds in the Retry-After header.',
  },
  'auth.required': {
    status: 401,
    title: 'Log in first',
    description: 'The request carries no valid session or device token. Log in again.',
  },
  'auth.invalid-credentials': {
    status: 401,
    title: 'Wrong username or password',
    description: 'The username or the password is wrong. The message is the same for both on purpose.',
  },
  'auth.locked': {
    status: 429,
    title: 'Too many failed logins',
    description:
      'After repeated failures logins for this username are paused for a while. Wait and try again, or ask an administrator.',
  },
  'auth.session-expired': {
    status: 401,
    title: 'Your session has ended',
    description: 'The session was idle too long, reached its maximum age, or was ended. Log in again.',
  },
  'auth.demo-password': {
    status: 403,
    title: 'This account still has the demo password',
    description:
      'The password is the published password of the demo logins, which anybody knows, and this server was not started with `--demo`. The account cannot sign in until an administrator sets a new password (`POST /api/v1/users/{username}/password`).',
  },
  'auth.csrf': {
    status: 403,
    title: 'Missing or wrong CSRF token',
    description: 'Writes made with a session cookie must carry the x-csrf-token header returned at login.',
  },
  'auth.forbidden': {
    status: 403,
    title: 'Not allowed',
    description: 'Your role does not allow this action on this resource.',
  },
  'auth.device-revoked': {
    status: 401,
    title: 'This device has been revoked',
    description: 'An administrator revoked this device. Its local data must be wiped.',
  },
  'auth.totp-required': {
    status: 401,
    title: 'Enter the code from your authenticator app',
    description: 'The password was right; this account also signs in with a 6-digit code. Send it as `totp`.',
  },
  'auth.two-factor-enrolment-required': {
    status: 403,
    title: 'Set up two-factor sign-in first',
    description:
      'Administrators and supervisors must enrol an authenticator app before anything else; only enrolment and logout are open until then.',
  },
  'auth.totp-invalid': {
    status: 400,
    title: 'The code is not right',
    description: 'The 6-digit code does not match the authenticator, or was already used. Wait for the next code.',
  },
  'auth.totp-already-enrolled': {
    status: 409,
    title: 'Two-factor sign-in is already set up',
    description:
      'To move to a new authenticator, an administrator must reset it; you then enrol again at your next login.',
  },
  'user.exists': {
    status: 409,
    title: 'The username is taken',
    description: 'Another user already has this username. Choose another.',
  },
  'user.invalid': {
    status: 400,
    title: 'The user is not valid',
    description: 'The username, display name, role or password does not meet the rules; the detail says which.',
  },
  'user.demo-password': {
    status: 400,
    title: 'The demo password is not allowed',
    description:
      'This is the published password of the demo logins. It is accepted only on a server started with `--demo`; choose another password.',
  },
  'membership.invalid': {
    status: 400,
    title: 'The membership is not valid',
    description:
      'The role is not one of the built-in roles, the team name is empty or too long, or "own assignments only" was combined with areas or a team. The detail and `field` say which. Nothing was changed.',
  },
  'membership.unknown-area': {
    status: 422,
    title: 'An area is not in the project',
    description:
      "An area code of the membership's scope is not in the project's area list; the detail names the codes. Pick areas from the project's list. Nothing was changed.",
  },
  'project.not-found': {
    status: 404,
    title: 'Project not found',
    description: 'No such project exists, or you are not a member of it.',
  },
  'form.invalid': {
    status: 422,
    title: 'The XLSForm has errors',
    description:
      'The workbook could not be compiled. `errors` lists each issue with its sheet, row and column; fix them and upload again. Nothing was stored.',
  },
  'basemap.invalid': {
    status: 422,
    title: 'Not a PMTiles basemap',
    description:
      'An uploaded basemap must be one PMTiles v3 archive (it starts with `PMTiles` and version 3) of at most 64 MB. Nothing was stored; the project keeps its basemap.',
  },
  'basemap.none': {
    status: 404,
    title: 'No basemap',
    description:
      'The project has no basemap yet; an administrator uploads one in Administration → Basemap. Maps show a grid meanwhile.',
  },
  'basemap.range-not-satisfiable': {
    status: 416,
    title: 'Range outside the basemap',
    description: 'The requested byte range starts past the end of the basemap file, or is not one `bytes=` range.',
  },
  'import.invalid': {
    status: 422,
    title: 'The register has problems',
    description:
      'An imported register (CSV or .xlsx) has rows or columns the list does not accept. `problems` lists each with its `code`, `row` and `column`; fix them and upload again. Nothing was imported.',
  },
  'form.version-exists': {
    status: 409,
    title: 'This form version already exists with other content',
    description:
      'A form with this form_id already has this version, built from a different workbook. Raise `version` in the settings sheet and upload again.',
  },
  'export.not-possible': {
    status: 422,
    title: 'This form cannot be exported in that format',
    description:
      'The export needs fields or details the form or the request lacks (a Darwin Core Archive needs scientific_name and event_date fields, a country and a contact); `detail` says which.',
  },
  'export.not-found': {
    status: 404,
    title: 'No such export',
    description:
      'No export with this id was started by you in this project, or it was cancelled, or its file was kept past its hour. Start the export again.',
  },
  'export.not-ready': {
    status: 409,
    title: 'The export has not finished',
    description:
      'The export is still being written, failed or was cancelled: its file cannot be fetched. Ask for its progress (`state`) and fetch the file once it is `done`.',
  },
  'odata.invalid-query': {
    status: 400,
    title: 'The OData query cannot be read',
    description:
      'A query option ($filter, $orderby, $select, $top, $skip, $count or $skiptoken) is malformed, names a property the table does not have, or uses a function this server does not offer; `detail` says which.',
  },
  'odata.table-not-found': {
    status: 404,
    title: 'No such OData table',
    description: 'The service has no entity set of that name; its service document lists the tables.',
  },
  'odata.too-many-to-sort': {
    status: 422,
    title: 'Too many rows to sort',
    description:
      'A $orderby on a form field sorts every matching row; filter the rows first ($filter) or read them in submission order.',
  },
  'odata.key-not-found': {
    status: 404,
    title: 'No such feed key',
    description: 'The feed key does not exist or belongs to someone else.',
  },
  'form.too-large': {
    status: 413,
    title: 'The workbook is too large',
    description:
      'The XLSForm unpacks to more bytes, or has more rows or cells, than the server compiles; the detail names the limit. Nothing was stored; split the form.',
  },
  'form.too-complex': {
    status: 422,
    title: 'The workbook took too long to compile',
    description:
      'Compiling the XLSForm did not finish within the time limit, so it was stopped. Nothing was stored; simplify or split the form.',
  },
  'form.media-unexpected': {
    status: 422,
    title: 'The form does not use this media file',
    description:
      'A file given with the form is not named by any `jr://images/`, `jr://audio/`, `jr://video/`, `jr://file/` or `jr://file-csv/` reference in it, or is given twice; the detail names it and the files the form expects. Nothing was stored.',
  },
  'form.media-too-large': {
    status: 413,
    title: 'Too many or too large media files',
    description:
      'The media files given with a form are more than the server takes for one form version, or one of them is larger than a media file may be; the detail names the limit. Nothing was stored.',
  },
  'form.not-found': {
    status: 404,
    title: 'Form not found',
    description: 'No such form, form version or form attachment exists in this project.',
  },
  'form.field-range-invalid': {
    status: 400,
    title: 'A minimum or maximum is not a number or a date',
    description:
      'A min–max setting of a question has a bound that is neither a number nor a date written YYYY-MM-DD, or has neither bound. `field` names the question. Nothing was changed.',
  },
  'form.field-range-order': {
    status: 400,
    title: 'A minimum is above its maximum',
    description:
      'A min–max setting of a question has its minimum above its maximum, or one bound a number and the other a date. `field` names the question. Nothing was changed.',
  },
  'submission.invalid': {
    status: 422,
    title: 'The submission is not valid for its form',
    description:
      'The instance is not well-formed, lacks its instanceID, or breaks a type, required or constraint rule of its form; `field` names the question. Nothing was stored.',
  },
  'submission.unknown-element': {
    status: 422,
    title: 'The submission has an element its form does not define',
    description:
      'The instance contains an element that is not in its form version; `field` names it. Nothing was stored. Update the form on the device.',
  },
  'submission.too-many-elements': {
    status: 413,
    title: 'The submission has too many elements',
    description:
      'The instance has more elements, or nests them deeper, than the server accepts in one submission; the detail names the limit. Nothing was stored.',
  },
  'submission.unknown-form': {
    status: 422,
    title: 'The submission names an unknown form version',
    description:
      'No published form in this project has the id and version on the instance root. Publish that version, or update the form on the device.',
  },
  'submission.conflict': {
    status: 409,
    title: 'Another submission has this instanceID',
    description:
      'A different submission was already received under this instanceID. Instances are immutable: send an edit as a new instance that points to the old one.',
  },
  'submission.edit-unknown-original': {
    status: 404,
    title: 'The edit names a submission that does not exist',
    description:
      'The instance carries a meta/deprecatedID that names no submission of this form in this project. Send the original first, or send the instance as a new submission without deprecatedID. Nothing was stored.',
  },
  'submission.edit-stale': {
    status: 409,
    title: 'The edit replaces a version that was already edited',
    description:
      'meta/deprecatedID must name the current version of the submission, as in ODK Central. Another edit replaced it first: open the current version, edit it again and resend. Nothing was stored.',
  },
  'submission.review-state-invalid': {
    status: 400,
    title: 'Unknown review state',
    description:
      'A review state is one of hasIssues, approved or rejected (edited is set by an edit; received is the state before any review). Nothing was changed.',
  },
  'auth.account-disabled': {
    status: 401,
    title: 'This account has been disabled',
    description:
      'An administrator disabled this account. A syncing device receives a wipe directive with this code and erases its local data.',
  },
  'sync.protocol-unsupported': {
    status: 400,
    title: 'This app speaks another sync protocol version',
    description: 'The `protocol` of the request is not one the server supports. Update the app, then sync again.',
  },
  'sync.device-mismatch': {
    status: 403,
    title: 'The device id does not match the device token',
    description: 'A sync request must name the device its token was issued to. Sign in again on this device.',
  },
  'sync.entity-held': {
    status: 409,
    title: 'The entity change waits for an earlier one',
    description:
      'The submission is stored, but its entity change builds on a create or update the server has not received yet (another device or a later push). It is applied when that arrives, or forced after a few days.',
  },
  'sync.out-of-scope': {
    status: 403,
    title: 'The record is outside your reach',
    description:
      'The item writes to a project, area, team or case you may not write to. Nothing was stored; ask a supervisor to refer the case.',
  },
  'sync.field-not-allowed': {
    status: 422,
    title: 'The item sets a field it may not set',
    description:
      'The item carries a field outside the allow-list (owner, assignee, area, team or an unknown member). `field` names it. Nothing was stored.',
  },
  'entity.not-found': {
    status: 404,
    title: 'The case this form updates is not on the server',
    description:
      'The form updates a case the server has never received, and it was not made offline on this device (no offline branch). Sync to get the case list again, then fill the form for a case you have. Nothing was stored.',
  },
  'entity.version-not-found': {
    status: 409,
    title: 'The form names a case version the server does not have',
    description:
      'The base or trunk version the form was filled on is newer than any the server has for this case (ODK Central refuses it the same way). Sync, then fill the form again. Nothing was stored.',
  },
  'entity.base-version-missing': {
    status: 400,
    title: 'The update does not say which version of the case it was made on',
    description:
      'An update must carry the case version it was made on (`baseVersion`). Update the app, or fill the form again from the case. Nothing was stored.',
  },
  'entity.label-missing': {
    status: 400,
    title: 'The new case has no name',
    description:
      'A form that creates a case must give it a label. Fill in the question the name comes from and send it again. Nothing was stored.',
  },
  'entity.exists': {
    status: 409,
    title: 'A case with this id exists already',
    description:
      'The form creates a case whose id is already taken (the same registration sent again under a new instanceID, or a copied form). Nothing was stored; the existing case is unchanged.',
  },
  'entity.deleted': {
    status: 409,
    title: 'The case was deleted',
    description:
      'The form updates a deleted case, or creates one with the id of a deleted case. Ask a supervisor to restore the case if it is still needed. Nothing was stored.',
  },
  'entity.merged': {
    status: 409,
    title: 'The case was merged into another',
    description:
      'The case was found to be a duplicate and merged into another case (named in the detail); its history now shows on that case. Fill the form again from the case it was merged into. Nothing was stored. Reading a merged case (its page, its timeline) answers this too, with `mergedInto`: the id of the case it was merged into and its name as you may see it, when you may open that case. (ODK Central has no merge; see docs/entities.md.)',
  },
  'entity.action-not-permitted': {
    status: 400,
    title: 'This form may not do that to a case',
    description:
      'The form only creates cases and the submission updates one, or it only updates and the submission creates one. Nothing was stored.',
  },
  'entity.version-conflict': {
    status: 409,
    title: 'The case changed since you opened it',
    description:
      'An edit names the version of the case it was made on (`baseVersion`), and the case has a newer one (ODK Central answers the same). Reload the case, check what changed and edit again, or send the edit with `force=true` to apply it over the newer version. Nothing was changed.',
  },
  'case.assignee-invalid': {
    status: 400,
    title: 'The case cannot be assigned to this user',
    description:
      'The user named is not a member of the project who may work on this case (their role or area does not reach it). Choose a member whose area covers the case. Nothing was changed.',
  },
  'case.area-invalid': {
    status: 400,
    title: 'The case cannot be transferred there',
    description:
      "The area is not one of the project's areas, or the case's address names no area at that level to change. Choose an area of the same kind as the case's own (a bag, a khoroo, a ward). Nothing was changed.",
  },
  'case.category-unknown': {
    status: 400,
    title: 'No such category',
    description:
      "A category named is not one the project's administrator defined. Reload the categories and choose again. Nothing was changed.",
  },
  'case.merge-invalid': {
    status: 409,
    title: 'These cases cannot be merged',
    description:
      'A case is merged only into another live case of the same list, and a case other cases were merged into must have those merges undone before it is merged itself. Nothing was changed.',
  },
  'case.not-merged': {
    status: 409,
    title: 'The case is not merged',
    description: 'Only a case merged into another can have its merge undone. Reload the case. Nothing was changed.',
  },
  'conflict.not-found': {
    status: 404,
    title: 'No conflict to resolve',
    description: 'The case does not exist, is outside your reach, or has no conflict (someone may have resolved it).',
  },
  'conflict.stale': {
    status: 409,
    title: 'The case changed while you were resolving it',
    description: 'A newer version arrived after you opened the conflict. Reload the conflict and choose again.',
  },
  'attachment.invalid': {
    status: 400,
    title: 'The upload does not say what file it is',
    description:
      'An upload must announce its size (Upload-Length) and, in Upload-Metadata, `sha256`, `projectId`, `instanceId` and `name`; the detail says which is missing or malformed. Nothing was stored.',
  },
  'attachment.not-found': {
    status: 404,
    title: 'Attachment not found',
    description: 'No such file or upload exists, or you may not see it. For a file the device holds, upload it again.',
  },
  'attachment.too-large': {
    status: 413,
    title: 'The file is too large',
    description:
      'The file is larger than the server accepts for one attachment; the detail gives the limit. Nothing was stored.',
  },
  'attachment.hash-mismatch': {
    status: 422,
    title: 'The uploaded file does not match its SHA-256',
    description:
      'The bytes received do not hash to the SHA-256 the upload announced; the upload was discarded. The device reads the file again and starts a new upload.',
  },
  'attachment.conflict': {
    status: 409,
    title: 'This submission already has another file under that name',
    description:
      'Attachments are immutable like submissions: a name in an instance is bound to one file. Send changed files with a new instance.',
  },
  'server.unavailable': {
    status: 503,
    title: 'The server is not ready',
    description: 'The database cannot be reached or migrations have not run. Retry later.',
  },
  'server.internal': {
    status: 500,
    title: 'Internal error',
    description: 'Something failed on the server. It has been logged; nothing partial was saved.',
  },
  'folder.name-taken': {
    status: 409,
    title: 'A folder of this name exists',
    description: "You already see a folder with this name (yours or your team's). Choose another name.",
  },
  'folder.id-taken': {
    status: 409,
    title: 'The folder id is taken',
    description: "Another user's folder has this id. The device makes a new id and tries again.",
  },
  'folder.smart': {
    status: 409,
    title: 'A smart folder holds no chosen cases',
    description: 'A smart folder shows the cases its saved search finds; cases cannot be put in or taken out of it.',
  },
} as const satisfies Record<string, ProblemDefinition>;

export type ProblemCode = keyof typeof problemCatalogue;

/** The body of an application/problem+json response (RFC 9457) with Outpost's stable code. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail?: string;
  /** For request.invalid: which field, in JSON-pointer form. */
  readonly field?: string;
  /**
   * For entity.merged: the case it was merged into, with its label as the reader may see it (null
   * when the role is not shown names); absent when the reader may not open that case.
   */
  readonly mergedInto?: { readonly id: string; readonly label: string | null };
}

/** What a problem may carry beyond its code and detail. */
export interface ProblemExtra {
  readonly field?: string;
  readonly mergedInto?: { readonly id: string; readonly label: string | null };
}

export function problem(code: ProblemCode, detail?: string, extra?: ProblemExtra): Problem {
  const def: ProblemDefinition = problemCatalogue[code];
  return {
    type: `https://outpost.invalid/problems/${code}`,
    title: def.title,
    status: def.status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...(extra?.field === undefined ? {} : { field: extra.field }),
    ...(extra?.mergedInto === undefined ? {} : { mergedInto: extra.mergedInto }),
  };
}

/** Thrown where an expected outcome must unwind a request; the HTTP boundary turns it into a response. */
export class ProblemError extends Error {
  readonly problem: Problem;
  constructor(code: ProblemCode, detail?: string, extra?: ProblemExtra) {
    super(detail ?? problemCatalogue[code].title);
    this.name = 'ProblemError';
    this.problem = problem(code, detail, extra);
  }
}

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(problemCatalogue, code);
}

/** docs/errors.md, rendered from the catalogue (a test keeps the file in step). */
export function renderErrorsDoc(): string {
  const rows = Object.entries(problemCatalogue)
    .map(([code, def]) => `| \`${code}\` | ${def.status} | ${def.title} | ${def.description} |`)
    .join('\n');
  return `# Problems Outpost reports

Every error response of the API is \`application/problem+json\` (RFC 9457) with a stable \`code\`:

\`\`\`json
{ "type": "https://outpost.invalid/problems/auth.required", "title": "Log in first", "status": 401, "code": "auth.required", "detail": "…" }
\`\`\`

Codes are never reused or renamed; clients may branch on them. This file is generated from
\`packages/core/src/problems/problems.ts\` by \`npm run docs:errors\`, and a test fails when the two differ.

| code | status | title | when, and what to do |
|---|---|---|---|
${rows}
`;
}
