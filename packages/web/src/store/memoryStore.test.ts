import { describeLocalStoreContract } from './localStoreContract.js';
import { createMemoryStore } from './memoryStore.js';
import { describeDeviceStoreContract } from './deviceStoreContract.js';

describeLocalStoreContract('memory', (name) => createMemoryStore(name), { persistent: false });
describeDeviceStoreContract('memory', (name) => createMemoryStore(name));
