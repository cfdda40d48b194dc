import type { Migration } from 'kysely';
import type { Dialect } from '../store.js';
import { initial } from './0001_initial.js';
import { builtinRoles } from './0002_builtin_roles.js';
import { twoFactor } from './0004_two_factor.js';
import { moreRoles } from './0007_more_roles.js';
import { entityVersions } from './0003_entity_versions.js';
import { sync } from './0005_sync.js';
import { attachments } from './0008_attachments.js';
import { projectPolicy } from './0009_project_policy.js';
import { membershipScopes } from './0010_membership_scopes.js';
import { submissionReview } from './0011_submission_review.js';
import { caseCategories } from './0012_case_categories.js';
import { forcedEntityVersions } from './0013_forced_entity_versions.js';
import { feedKeys } from './0014_feed_keys.js';
import { projectBasemap } from './0015_project_basemap.js';
import { formMedia } from './0016_form_media.js';
import { backlogPerEntity } from './0017_backlog_per_entity.js';
import { entityEdits } from './0018_entity_edits.js';
import { fieldRanges } from './0019_field_ranges.js';
import { rateLimits } from './0020_rate_limits.js';
import { caseMerges } from './0021_case_merges.js';
import { accessStamp } from './0022_access_stamp.js';

/**
 * Every migration, by name; names sort in the order they run. Listed in code rather than read
 * from a folder so the built server finds them wherever dist/ is installed. Never edit or rename
 * one that has shipped: add a new one.
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_builtin_roles': builtinRoles,
    '0003_entity_versions': entityVersions,
    '0004_two_factor': twoFactor,
    '0005_sync': sync(dialect),
    '0007_more_roles': moreRoles,
    '0008_attachments': attachments,
    '0009_project_policy': projectPolicy,
    '0010_membership_scopes': membershipScopes,
    '0011_submission_review': submissionReview,
    '0012_case_categories': caseCategories,
    '0013_forced_entity_versions': forcedEntityVersions,
    '0014_feed_keys': feedKeys,
    '0015_project_basemap': projectBasemap,
    '0016_form_media': formMedia,
    '0017_backlog_per_entity': backlogPerEntity,
    '0018_entity_edits': entityEdits,
    '0019_field_ranges': fieldRanges,
    '0020_rate_limits': rateLimits,
    '0021_case_merges': caseMerges,
    '0022_access_stamp': accessStamp(dialect),
  };
}
