// Every count and size on the wire is capped (quality target S16). The schemas carry these as
// maxItems/maxLength, so a decoder refuses an oversized message before anything acts on it.
export const protocolLimits = {
  /** Submissions in one push. */
  maxPushItems: 500,
  /** Characters of one submission's XML instance. */
  maxSubmissionXmlLength: 1_000_000,
  /** Attachments referenced by one submission. */
  maxAttachmentsPerItem: 50,
  /** Records in one pull page, whatever their size. */
  maxPageRecords: 10_000,
  /** Record groups (one per list and scope) in one pull page. */
  maxPageGroups: 1_000,
  /** Evictions in one pull page. */
  maxPageEvictions: 10_000,
  /** Properties of one record. */
  maxRecordProperties: 500,
  /** Characters of one property value. */
  maxPropertyLength: 100_000,
  /** Scopes one device may hold cursors for. */
  maxScopes: 200,
  /** The smallest and largest page a device may ask for, in bytes of uncompressed JSON. */
  minPullBytes: 16 * 1024,
  maxPullBytes: 8 * 1024 * 1024,
  /** Characters of an id (record, instance, device, form, scope). */
  maxIdLength: 128,
  /** Characters of a problem detail. */
  maxDetailLength: 2_000,
} as const;
