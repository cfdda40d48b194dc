import { openPostgresTestStore } from '@outpost/test-kit';
import { describeCaseEdits } from './caseEdits.test-support.js';

describeCaseEdits('PostgreSQL', openPostgresTestStore);
