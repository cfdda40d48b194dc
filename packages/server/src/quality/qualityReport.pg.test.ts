import { openPostgresTestStore } from '@outpost/test-kit';
import { describeQualityReport } from './qualityReport.test-support.js';

describeQualityReport('PostgreSQL', openPostgresTestStore);
