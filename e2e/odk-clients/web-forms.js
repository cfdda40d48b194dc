// ODK Web Forms (@getodk/web-forms, a Vue component) as a host page would embed it: the XForm and
// its media come from Outpost's OpenRosa routes, and "Send" posts the instance to `…/submission`.
import { createApp, h } from 'vue';
import { OdkWebForm, webFormsPlugin } from '@getodk/web-forms';
import { fail, loadForm, params, report, submit } from './openrosa.js';

try {
  const { server, formId } = params();
  const { form, media } = await loadForm(server, formId);
  const fetchFormAttachment = (url) => {
    const name = decodeURIComponent(String(url).split('/').pop() ?? '');
    const found = media.get(name);
    return found === undefined ? Promise.resolve(new Response(null, { status: 404 })) : fetch(found);
  };
  const app = createApp({
    render: () =>
      h(OdkWebForm, {
        formXml: form,
        fetchFormAttachment,
        missingResourceBehavior: 'BLANK',
        onSubmit: async (payload, callback) => {
          report(await submit(server, payload.data[0]));
          callback({});
        },
      }),
  });
  app.use(webFormsPlugin);
  app.mount('#app');
} catch (error) {
  fail(error);
}
