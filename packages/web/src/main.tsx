import { render } from 'solid-js/web';
import { createHttpApi } from './api/createHttpApi.js';
import { createOfflineApi } from './api/createOfflineApi.js';
import { App } from './app/App.jsx';
import './app/app.css';
import { deviceStoreName } from './device/createDeviceSync.js';
import { createDraftStore, draftDatabaseName } from './forms/drafts.js';
import { createI18n } from './i18n/createI18n.js';
import { createSession } from './session/createSession.js';
import { deviceName } from './session/deviceName.js';
import { createLastUserMemory } from './session/lastUserMemory.js';
import { createIndexedDbStore } from './store/indexedDbStore.js';
import { createTransport } from './transport/createTransport.js';
import { registerServiceWorker, shellCachePrefix } from './sw/registerServiceWorker.js';
import { createIdleLock, createVault, defaultIdleMinutes, knownDatabaseNames, wipeDevice } from './vault/index.js';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');

const storage = safeLocalStorage();
const i18n = createI18n({
  storage,
  navigatorLanguage: navigator.language,
  documentElement: document.documentElement,
});

// The client reports an expired session to the session model built from it, and reads the device
// token from it; both callbacks only run after a request, long after `session` below exists.
const transport = createTransport({
  onSessionExpired: (problem) => session.expire(problem.code),
  deviceToken: () => session.deviceToken(),
  language: i18n.language,
});
const http = createHttpApi({ transport });
// Forms, their attachments and the project list are kept, sealed, in the unlocked user's store.
const api = createOfflineApi(http, () => {
  const state = session.state();
  return (state.kind === 'signed-in' || state.kind === 'enrolment-required') && state.device !== undefined
    ? state.device
    : null;
});
const vault = createVault();
const session = createSession(api, {
  vault,
  openStore: (userId) => createIndexedDbStore(deviceStoreName(userId)),
  openDrafts: (codec) => createDraftStore({ codec }),
  lastUser: createLastUserMemory(storage),
  async wipe(userId) {
    const language = i18n.language();
    await wipeDevice({
      knownDatabases: [...knownDatabaseNames, draftDatabaseName, ...(userId === null ? [] : [deviceStoreName(userId)])],
      keepCache: (name) => name.startsWith(shellCachePrefix),
    });
    // The language is no secret and the sign-in screen should keep speaking it.
    i18n.setLanguage(language);
  },
  deviceName: () => deviceName(navigator.userAgent, new Date()),
});
createIdleLock(vault, { minutes: defaultIdleMinutes });

render(() => <App services={{ api, i18n, session, transport }} />, root);

if (import.meta.env.PROD) registerServiceWorker(`${import.meta.env.BASE_URL}sw.js`);

/** Reading `localStorage` itself throws where storage is disabled (some private modes). */
function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
