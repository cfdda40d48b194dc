import { render } from 'solid-js/web';
import { createHttpApi } from './api/createHttpApi.js';
import { App } from './app/App.jsx';
import './app/app.css';
import { createI18n } from './i18n/createI18n.js';
import { createSession } from './session/createSession.js';
import { registerServiceWorker } from './sw/registerServiceWorker.js';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');

// The client reports an expired session to the session model built from it; the callback only
// runs after a request, long after `session` below exists.
const api = createHttpApi({ onSessionExpired: () => session.expire() });
const i18n = createI18n({
  storage: safeLocalStorage(),
  navigatorLanguage: navigator.language,
  documentElement: document.documentElement,
});
const session = createSession(api);

render(() => <App services={{ api, i18n, session }} />, root);

if (import.meta.env.PROD) registerServiceWorker(`${import.meta.env.BASE_URL}sw.js`);

/** Reading `localStorage` itself throws where storage is disabled (some private modes). */
function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
