import 'fake-indexeddb/auto';
import { describeLocalStoreContract } from './localStoreContract.js';
import { createIndexedDbStore } from './indexedDbStore.js';
import { describeDeviceStoreContract } from './deviceStoreContract.js';

describeLocalStoreContract('IndexedDB (Dexie)', (name) => createIndexedDbStore(name), { persistent: true });
describeDeviceStoreContract('IndexedDB (Dexie)', (name) => createIndexedDbStore(name));
