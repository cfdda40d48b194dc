import { openTestStore } from '@outpost/test-kit';
import { describeSubmissionReview } from './submissionReview.test-support.js';

describeSubmissionReview('SQLite', async () => {
  const store = await openTestStore();
  return { store, close: () => store.close() };
});
