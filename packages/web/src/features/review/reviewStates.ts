import type { ReviewState, SettableReviewState } from '../../api/ReviewApi.js';
import type { MessageKey } from '../../i18n/en.js';

/** The words for each review state ("received" is no review yet). */
export const stateKeys = {
  received: 'review.state.received',
  hasIssues: 'review.state.hasIssues',
  edited: 'review.state.edited',
  approved: 'review.state.approved',
  rejected: 'review.state.rejected',
} as const satisfies Record<ReviewState | 'received', MessageKey>;
export const settable: readonly SettableReviewState[] = ['hasIssues', 'approved', 'rejected'];
