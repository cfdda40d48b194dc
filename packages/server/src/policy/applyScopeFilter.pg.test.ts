import { openPostgresTestStore } from '@outpost/test-kit';
import { describeScopeFilterAgreement } from './applyScopeFilter.test.js';

describeScopeFilterAgreement('PostgreSQL', openPostgresTestStore);
