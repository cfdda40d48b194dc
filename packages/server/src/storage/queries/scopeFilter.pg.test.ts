import { openPostgresTestStore } from '@outpost/test-kit';
import { describeScopeFilterAgreement } from './scopeFilter.test.js';

describeScopeFilterAgreement('PostgreSQL', openPostgresTestStore);
