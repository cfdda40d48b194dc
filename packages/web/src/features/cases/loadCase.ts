import type { CaseDetail, OutpostApi } from '../../api/OutpostApi.js';
import { getDeviceRecord, type DeviceRecord } from '../../sync/listDeviceRecords.js';
import type { DeviceSync } from '../../device/createDeviceSync.js';

/** A case as its page shows it, whether the device or the server answered. */
export interface CaseView {
  readonly id: string;
  readonly list: string;
  /** Null when the role is not shown the name. */
  readonly label: string | null;
  readonly status: string | null;
  /** The server's conflict flag (`soft`, `hard`) as last synced; null when none. */
  readonly conflict: string | null;
  /** The area's name, when the server answered (the device holds area ids only). */
  readonly areaName: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  /** The server version shown: what an edit names as its base; null when unknown. */
  readonly version: number | null;
  /** The category codes it is tagged with; null when the role is not shown them. */
  readonly categories: readonly string[] | null;
}

export interface ShownCase {
  readonly view: CaseView;
  /** The device's record, with its unsent edits: what tasks are computed from. */
  readonly record?: DeviceRecord;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The case from this device when it holds it (offline, with the user's own unsent edits laid
 * over), else from the server (an office browser, a case not synced here). The server redacts
 * what it sends; the device holds only what the policy sent it.
 */
export async function loadCase(
  api: OutpostApi,
  device: Pick<DeviceSync, 'store' | 'codec'> | undefined,
  projectId: string,
  caseId: string,
): Promise<ShownCase> {
  const record =
    device === undefined ? undefined : await getDeviceRecord(device.store, caseId, { codec: device.codec });
  if (record !== undefined && (record.projectId === null || record.projectId === projectId)) {
    const p = record.properties;
    return {
      record,
      view: {
        id: record.id,
        list: record.list,
        label: text(p['__label']),
        status: record.status,
        conflict: text(p['__conflict']),
        areaName: null,
        properties: p,
        version: record.version > 0 ? record.version : null,
        categories: typeof p['__categories'] === 'string' ? p['__categories'].split(' ').filter((c) => c !== '') : null,
      },
    };
  }
  return { view: caseViewOf(await api.getCase(projectId, caseId)) };
}

/** A case as the server answered it (a read, or the answer to an edit). */
export function caseViewOf(detail: CaseDetail): CaseView {
  return {
    id: detail.id,
    list: detail.list,
    label: detail.label,
    status: detail.status ?? null,
    conflict: detail.conflict ?? null,
    areaName: detail.area?.name ?? null,
    properties: detail.properties,
    version: detail.version ?? null,
    categories: detail.categories ?? null,
  };
}
