// Enketo as Enketo Express runs it: enketo-transformer (its web build, the browser's XSLTProcessor)
// turns the XForm from Outpost's OpenRosa routes into an HTML form and a model, enketo-core renders
// and validates it, and the record is posted to `…/submission` as multipart/form-data.
import { transform } from 'enketo-transformer/web';
import { Form } from 'enketo-core';
import { fail, loadForm, params, report, submit } from './openrosa.js';

try {
  const { server, formId } = params();
  const { form: xform, media } = await loadForm(server, formId);
  const transformed = await transform({ xform, media: Object.fromEntries(media) });
  const host = document.getElementById('form');
  host.innerHTML = transformed.form;
  const form = new Form(host.querySelector('form.or'), { modelStr: transformed.model, external: [] }, {});
  const loadErrors = form.init();
  if (loadErrors.length > 0) throw new Error(loadErrors.join('\n'));
  document.body.dataset.loaded = 'true';
  const button = document.getElementById('submit');
  button.hidden = false;
  button.addEventListener('click', async () => {
    if (!(await form.validate())) {
      document.body.dataset.invalid = 'true';
      return;
    }
    const body = new FormData();
    body.append('xml_submission_file', new Blob([form.getDataStr()], { type: 'text/xml' }), 'xml_submission_file.xml');
    report(await submit(server, body));
  });
} catch (error) {
  fail(error);
}
