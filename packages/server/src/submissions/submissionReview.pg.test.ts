import { openPostgresTestStore } from '@outpost/test-kit';
import { describeSubmissionReview } from './submissionReview.test-support.js';

describeSubmissionReview('PostgreSQL', openPostgresTestStore);
