import type { ReviewState, SettableReviewState } from '../../api/ReviewApi.js';
import type { MessageKey } from '../../i18n/en.js';

/** The words for each review state ("received" is no review yet). */
export const stateKeys: Record<ReviewState | 'received', MessageKey> = {
  received: 'review.state.received',
  hasIssues: 'review.state.hasIssues',
  edited: 'review.state.edited',
  approved: 'review.state.approved',
  rejected: 'review.state.rejected',
};
export const settable: readonly SettableReviewState[] = ['hasIssues', 'approved', 'rejected'];
