import { openPostgresTestStore } from '@outpost/test-kit';
import { describeCaseFolders } from './caseFolders.test-support.js';

describeCaseFolders('PostgreSQL', openPostgresTestStore);
