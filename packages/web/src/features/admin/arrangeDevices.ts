import type { DeviceSummary } from '../../api/OutpostApi.js';

/**
 * The device list an administrator can read: grouped by user, each user's devices in use first
 * (most recently seen on top), and revoked ones left out unless asked for: a tablet signed in
 * afresh every week would otherwise bury the ones in use under identical old entries.
 */
export function arrangeDevices(
  devices: readonly DeviceSummary[],
  showRevoked: boolean,
): { readonly shown: readonly DeviceSummary[]; readonly hiddenRevoked: number } {
  const seen = (d: DeviceSummary): string => d.lastSeenAt ?? '';
  const shown = devices
    .filter((d) => showRevoked || d.revokedAt === null)
    .toSorted(
      (a, b) =>
        a.username.localeCompare(b.username) ||
        Number(a.revokedAt !== null) - Number(b.revokedAt !== null) ||
        seen(b).localeCompare(seen(a)) ||
        b.createdAt.localeCompare(a.createdAt),
    );
  return { shown, hiddenRevoked: showRevoked ? 0 : devices.filter((d) => d.revokedAt !== null).length };
}
