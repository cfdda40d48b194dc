import { openTestStoreOnDisk } from '@outpost/test-kit';
import { describeCaseMerges } from './caseMerges.test-support.js';

describeCaseMerges('SQLite', () => openTestStoreOnDisk('merges'));
