import { openTestStoreOnDisk } from '@outpost/test-kit';
import { describeCaseEdits } from './caseEdits.test-support.js';

describeCaseEdits('SQLite', () => openTestStoreOnDisk('edits'));
