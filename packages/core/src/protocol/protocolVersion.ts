/**
 * The version of the sync protocol. Bump it whenever a message schema changes in a way an older
 * peer would misread; protocol-version.test.ts fails until the version and the recorded schema
 * hash are updated together. See docs/sync-protocol.md, "Versioning".
 */
export const PROTOCOL_VERSION = 2;
