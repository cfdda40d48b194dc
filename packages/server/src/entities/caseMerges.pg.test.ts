import { openPostgresTestStore } from '@outpost/test-kit';
import { describeCaseMerges } from './caseMerges.test-support.js';

describeCaseMerges('PostgreSQL', openPostgresTestStore);
