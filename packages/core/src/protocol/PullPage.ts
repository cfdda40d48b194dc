import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Eviction } from './Eviction.js';
import { protocolLimits } from './protocolLimits.js';
import { RecordGroup } from './RecordGroup.js';
import { Cursors, ScopeId } from './wireFields.js';

/**
 * The answer to a PullRequest. Self-contained: the device applies records, evictions and cursors
 * in one local transaction, so the cursor never runs ahead of the data it covers, and nothing in
 * a page refers to another page (each group carries its own dictionaries).
 */
export const PullPage = Type.Object(
  {
    /**
     * Changed records, column-wise, one group per list and scope; `pulledRecords(page)` lists
     * them. An id appears at most once in the groups and evictions together.
     */
    groups: Type.Array(RecordGroup, { maxItems: protocolLimits.maxPageGroups }),
    evictions: Type.Array(Eviction, { maxItems: protocolLimits.maxPageEvictions }),
    /** The cursor of every scope in `scopes` once this page is applied. */
    cursors: Cursors,
    /** The user's current scope set; the device forgets cursors of scopes not listed. */
    scopes: Type.Array(ScopeId, { maxItems: protocolLimits.maxScopes }),
    /** True when more changes are waiting: pull again at once with the new cursors. */
    hasMore: Type.Boolean(),
    /** Records still to come after this page, for honest progress; an estimate. */
    remaining: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type PullPage = Static<typeof PullPage>;
