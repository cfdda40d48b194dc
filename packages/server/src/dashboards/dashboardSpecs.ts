/**
 * What each dashboard shows, per project template. A panel counts (or sums) the live entities of
 * some lists, grouped by one or two dimensions; the web app draws it and offers it as CSV. Which
 * panels a project gets depends on `projects.template`; every project gets the general ones.
 */

/** How a record falls into a group. */
export type Dimension =
  /** A property's value; `multi` splits a select_multiple answer into its values. */
  | {
      readonly kind: 'choice';
      /** The property per list (lists name the same thing differently: `pa_code`, `protected_area`). */
      readonly property: string | Readonly<Record<string, string>>;
      readonly multi?: boolean;
      /** A place: cells under 5 records are suppressed for readers without exact locations. */
      readonly spatial?: boolean;
      /** Where the values' labels are (a code saved by a calculation is labelled by the list it names). */
      readonly labels?: { readonly list: string; readonly property: string };
    }
  /** The month (`YYYY-MM`) of a date property, or of when the record was created. */
  | { readonly kind: 'month'; readonly property: string | null }
  /** The finest area the reader may see (suppressed like a place). */
  | { readonly kind: 'area' }
  /** The worker the case is assigned to (named only to readers who may see names). */
  | { readonly kind: 'worker' }
  /** The entity list. */
  | { readonly kind: 'list' }
  /** Days since a date property (or creation), in buckets: `0-7`, `8-30`, `31-90`, `91+`. */
  | { readonly kind: 'age'; readonly property: string | null };

/** Whether a record counts towards a measure. */
export type Condition =
  | { readonly kind: 'not'; readonly property: string; readonly values: readonly string[] }
  /** Any of the date properties is before today, and the status is not one of `done`. */
  | {
      readonly kind: 'overdue';
      readonly dates: readonly string[];
      readonly status: string;
      readonly done: readonly string[];
    };

export type Measure =
  | { readonly key: string; readonly kind: 'count'; readonly list?: string; readonly where?: Condition }
  | {
      readonly key: string;
      readonly kind: 'sum' | 'avg';
      readonly list?: string;
      readonly properties: readonly string[];
      /** A figure about the place itself (a protected area's budget), not about people: never suppressed. */
      readonly ofPlace?: boolean;
    };

export interface PanelSpec {
  /** Stable id; the web app's title is `dashboard.panel.<id>`. */
  readonly id: string;
  readonly chart: 'bar' | 'stacked' | 'line' | 'combo';
  /** The lists read; the first names the dimensions' labels. */
  readonly lists: readonly string[] | 'all';
  readonly dimensions: readonly Dimension[];
  readonly measures: readonly Measure[];
  /** Only records meeting this. */
  readonly where?: Condition;
}

export interface MapSpec {
  readonly lists: readonly string[] | 'all';
  /** The property holding the location. */
  readonly property: string;
  /** Hexagon circumradius in Web Mercator metres. */
  readonly hexMetres: number;
}

export interface DashboardSpec {
  readonly panels: readonly PanelSpec[];
  readonly map: MapSpec;
}

/** Cells counting fewer records than this are left out for readers without exact locations. */
export const MIN_CELL = 5;

const general: PanelSpec[] = [
  {
    id: 'records.month',
    chart: 'line',
    lists: 'all',
    dimensions: [{ kind: 'month', property: null }, { kind: 'list' }],
    measures: [{ key: 'count', kind: 'count' }],
  },
  {
    id: 'records.area',
    chart: 'stacked',
    lists: 'all',
    dimensions: [{ kind: 'area' }, { kind: 'list' }],
    measures: [{ key: 'count', kind: 'count' }],
  },
];

const mongolia: DashboardSpec = {
  panels: [
    {
      id: 'cases.registered',
      chart: 'stacked',
      lists: ['cases'],
      dimensions: [
        { kind: 'month', property: 'registration_date' },
        { kind: 'choice', property: 'case_status' },
      ],
      measures: [{ key: 'count', kind: 'count' }],
    },
    {
      id: 'cases.area',
      chart: 'stacked',
      lists: ['cases'],
      dimensions: [{ kind: 'area' }, { kind: 'choice', property: 'case_status' }],
      measures: [{ key: 'count', kind: 'count' }],
    },
    {
      id: 'cases.vulnerability',
      chart: 'bar',
      lists: ['cases'],
      dimensions: [{ kind: 'choice', property: 'vulnerability', multi: true }],
      measures: [{ key: 'count', kind: 'count' }],
    },
    {
      id: 'cases.needs',
      chart: 'bar',
      lists: ['cases'],
      dimensions: [{ kind: 'choice', property: 'needs', multi: true }],
      measures: [{ key: 'count', kind: 'count' }],
      where: { kind: 'not', property: 'case_status', values: ['closed'] },
    },
    {
      id: 'cases.caseload',
      chart: 'bar',
      lists: ['cases'],
      dimensions: [{ kind: 'worker' }],
      measures: [
        { key: 'open', kind: 'count', where: { kind: 'not', property: 'case_status', values: ['closed'] } },
        {
          key: 'overdue',
          kind: 'count',
          where: {
            kind: 'overdue',
            dates: ['next_visit_date', 'review_due_date'],
            status: 'case_status',
            done: ['closed'],
          },
        },
      ],
    },
  ],
  map: { lists: ['cases'], property: 'geometry', hexMetres: 1500 },
};

const png: DashboardSpec = {
  panels: [
    {
      id: 'incidents.month',
      chart: 'stacked',
      lists: ['incidents'],
      dimensions: [
        { kind: 'month', property: 'incident_date' },
        { kind: 'choice', property: 'incident_type' },
      ],
      measures: [{ key: 'count', kind: 'count' }],
    },
    {
      id: 'incidents.protectedArea',
      chart: 'stacked',
      lists: ['incidents'],
      // Incidents are placed in their protected area; a role that sees areas coarser sees provinces.
      dimensions: [{ kind: 'area' }, { kind: 'choice', property: 'incident_type' }],
      measures: [{ key: 'count', kind: 'count' }],
    },
    {
      id: 'observations.species',
      chart: 'bar',
      lists: ['observations'],
      dimensions: [{ kind: 'choice', property: 'species' }],
      measures: [
        { key: 'count', kind: 'count' },
        { key: 'individuals', kind: 'sum', properties: ['individual_count'] },
      ],
    },
    {
      id: 'protectedAreas.effectiveness',
      chart: 'combo',
      lists: ['protected_areas', 'incidents'],
      // A protected area's own record and its incidents share its area.
      dimensions: [{ kind: 'area' }],
      measures: [
        { key: 'mett_percent', kind: 'avg', list: 'protected_areas', properties: ['mett_percent'], ofPlace: true },
        {
          key: 'budget',
          kind: 'sum',
          list: 'protected_areas',
          properties: ['budget_recurrent', 'budget_project'],
          ofPlace: true,
        },
        { key: 'incidents', kind: 'count', list: 'incidents' },
      ],
    },
  ],
  map: { lists: ['incidents', 'observations'], property: 'geometry', hexMetres: 40_000 },
};

const helpdesk: DashboardSpec = {
  panels: [
    {
      id: 'requests.office',
      chart: 'stacked',
      lists: ['requests'],
      dimensions: [
        { kind: 'choice', property: 'office' },
        { kind: 'choice', property: 'request_status' },
      ],
      measures: [{ key: 'count', kind: 'count' }],
    },
    {
      id: 'requests.age',
      chart: 'stacked',
      lists: ['requests'],
      dimensions: [
        { kind: 'age', property: 'submitted_on' },
        { kind: 'choice', property: 'request_status' },
      ],
      measures: [{ key: 'count', kind: 'count' }],
      where: { kind: 'not', property: 'request_status', values: ['resolved', 'closed'] },
    },
    {
      id: 'requests.month',
      chart: 'stacked',
      lists: ['requests'],
      dimensions: [
        { kind: 'month', property: 'submitted_on' },
        { kind: 'choice', property: 'category' },
      ],
      measures: [{ key: 'count', kind: 'count' }],
    },
  ],
  map: { lists: ['requests'], property: 'geometry', hexMetres: 10_000 },
};

const byTemplate: Readonly<Record<string, DashboardSpec>> = {
  'mongolia-social-protection': mongolia,
  'png-protected-areas': png,
  helpdesk,
};

/** The dashboard of a project made from `template` (null or unknown: the general panels only). */
export function dashboardSpec(template: string | null): DashboardSpec {
  const own = template === null ? undefined : byTemplate[template];
  return {
    panels: [...(own?.panels ?? []), ...general],
    map: own?.map ?? { lists: 'all', property: 'geometry', hexMetres: 5000 },
  };
}
