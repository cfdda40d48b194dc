import { openPostgresTestStore } from '@outpost/test-kit';
import { describeDashboards } from './dashboards.test-support.js';

describeDashboards('PostgreSQL', openPostgresTestStore);
