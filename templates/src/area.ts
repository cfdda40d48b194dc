/** A node of an administrative (or management) hierarchy; lists are versioned because units change. */
export interface Area {
  code: string;
  parentCode: string | null;
  level: string;
  name: { mn?: string; en?: string; tpi?: string };
}

export interface AreaList {
  version: string;
  areas: Area[];
}
