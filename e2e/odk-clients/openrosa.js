// What an OpenRosa client does before and after filling: read the form list, download the XForm
// and its manifest, and post the filled instance as multipart/form-data. Plain browser code shared
// by the ODK Web Forms and Enketo harness pages (test support, bundled by vite at test time).

const headers = { 'X-OpenRosa-Version': '1.0' };

const xml = async (url) => new DOMParser().parseFromString(await (await fetch(url, { headers })).text(), 'text/xml');
const text = (parent, tag) => parent.getElementsByTagName(tag)[0]?.textContent?.trim() ?? null;

/** The form `formId` of the project at `server` (a Collect server URL): its XForm and media URLs by file name. */
export async function loadForm(server, formId) {
  const list = await xml(`${server}/formList`);
  const entry = [...list.getElementsByTagName('xform')].find((x) => text(x, 'formID') === formId);
  if (entry === undefined) throw new Error(`${formId} is not in the form list`);
  const downloadUrl = text(entry, 'downloadUrl');
  const manifestUrl = text(entry, 'manifestUrl');
  const form = await (await fetch(downloadUrl, { headers })).text();
  const media = new Map();
  if (manifestUrl !== null) {
    for (const file of (await xml(manifestUrl)).getElementsByTagName('mediaFile')) {
      media.set(text(file, 'filename'), text(file, 'downloadUrl'));
    }
  }
  return { form, media };
}

/** POSTs a filled instance (a FormData with `xml_submission_file`) to the project's submission URL. */
export async function submit(server, body) {
  const response = await fetch(`${server}/submission`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

/** Shows the submission's outcome to the test: `data-submitted` on <body>, the response text in #result. */
export function report(result) {
  const out = document.getElementById('result');
  out.textContent = result.body;
  document.body.dataset.submitted = String(result.status);
}

/** Shows a load failure to the test. */
export function fail(error) {
  document.getElementById('result').textContent = String(error?.stack ?? error);
  document.body.dataset.failed = 'true';
}

/** The harness's parameters: `server` (a Collect server URL with the app user's key) and `form`. */
export function params() {
  const search = new URLSearchParams(location.search);
  return { server: search.get('server') ?? '', formId: search.get('form') ?? '' };
}
