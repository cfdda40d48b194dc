import { openTestStoreOnDisk } from '@outpost/test-kit';
import { describeCaseFolders } from './caseFolders.test-support.js';

describeCaseFolders('SQLite', () => openTestStoreOnDisk('folders'));
