import { openTestStoreOnDisk } from '@outpost/test-kit';
import { describeHeldBack } from './heldBack.test-support.js';

describeHeldBack('SQLite', () => openTestStoreOnDisk('held-back'));
