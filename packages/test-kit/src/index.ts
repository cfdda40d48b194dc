// Test helpers shared by every package's tests. Never imported by application code.
export { describeStorageContract } from './storageContract.js';
export { createPostgresTestDatabase, DEFAULT_TEST_PG_URL, openPostgresTestStore } from './postgresTestDatabase.js';
export type { PostgresTestDatabase, PostgresTestStore } from './postgresTestDatabase.js';
export { openTestStore, openTestStoreOnDisk } from './openTestStore.js';
export { signIn } from './signIn.js';
export type { SignedIn } from './signIn.js';
export { publishTestForm, startTestServer } from './startTestServer.js';
export type { TestServer } from './startTestServer.js';
export { startFaultProxy, faultKinds, randomFault, seededRandom, testSeed } from './faultProxy.js';
export type { Fault, FaultChooser, FaultKind, FaultProxy, FaultProxyStats, SeededRandom } from './faultProxy.js';
// Re-exported so tests of packages that may not import the server (templates) load the same engine.
export { installEngineGlobals } from '@outpost/server';
export { forceBacklogNow, seedMongoliaCaseForms, templateFormVersion } from './templateForms.js';
